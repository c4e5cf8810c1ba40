import { afterEach } from 'vitest'

/**
 * The last lines of a running harness's service log (debug level) and of its simulator's calls,
 * printed when a test of its file fails: after a rare failure on CI they are all there is to read.
 */
export class RecentLog {
  private lines: string[] = []

  constructor(private readonly keep = 300) {}

  write(line: string): void {
    // An empty long poll says nothing: four bots repeat it every second.
    if (line.includes('"getUpdates bot=') && line.includes('-> ok []')) return
    this.lines.push(line.length > 400 ? `${line.slice(0, 400)}…` : line.trimEnd())
    if (this.lines.length > this.keep * 2) this.lines.splice(0, this.lines.length - this.keep)
  }

  dump(): string {
    return this.lines.slice(-this.keep).join('\n')
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
