import { afterEach } from 'vitest'

/**
 * The last lines of a running harness's service log (debug level) and of its simulator's calls,
 * printed when a test of its file fails: after a rare failure on CI they are all there is to read.
 */
export class RecentLog {
  private lines: string[] = []
  /** Each bot's last long-poll lines, kept apart: four bots repeat them every second. */
  private readonly polls = new Map<string, string[]>()

  constructor(private readonly keep = 300) {}

  write(line: string): void {
    const poll = /"getUpdates (bot=\d+) (<-|-> ok \[\])/.exec(line)
    if (poll) {
      const last = this.polls.get(poll[1]!) ?? []
      this.polls.set(poll[1]!, [...last.slice(-1), line.trimEnd()])
      return
    }
    this.lines.push(line.length > 400 ? `${line.slice(0, 400)}…` : line.trimEnd())
    if (this.lines.length > this.keep * 2) this.lines.splice(0, this.lines.length - this.keep)
  }

  dump(): string {
    const polls = [...this.polls.values()].flat()
    return [...this.lines.slice(-this.keep), "(each bot's last two long-poll lines, empty answers and starts:)", ...polls].join('\n')
  }
}

/** The logs of the harnesses running in this worker. */
export const runningLogs = new Set<RecentLog>()

/** Registered by vitest's setupFiles for every test file. */
export function printLogsOnFailure(): void {
  afterEach((context) => {
    if (context.task.result?.state !== 'fail' || runningLogs.size === 0) return
    for (const log of runningLogs)
      process.stderr.write(`\n--- the last lines of the service's log and the simulator's calls when "${context.task.name}" failed ---\n${log.dump()}\n--- end ---\n`)
  })
}
