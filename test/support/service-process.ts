import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The service as a separate OS process (`src/main.ts` with a config file), so it can be SIGKILLed. */
export function serviceProcess(config: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'topicdesk-service-'))
  const file = join(dir, 'config.json')
  writeFileSync(file, JSON.stringify(config))
  let child: ChildProcess | undefined
  let output = ''
  return {
    start(): Promise<void> {
      child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { ...process.env, TOPICDESK_CONFIG: file, DATABASE_URL: '', TELEGRAM_API_ROOT: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const started = new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString()
          if (output.includes('topicdesk started')) resolve()
        }
        child!.stdout!.on('data', onData)
        child!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
        child!.once('exit', (code) => reject(new Error(`service exited with ${code}:\n${output.slice(-2000)}`)))
      })
      return started
    },
    kill(): Promise<void> {
      const proc = child
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve()
      return new Promise((resolve) => {
        proc.once('exit', () => resolve())
        proc.kill('SIGKILL')
      })
    },
    /** SIGTERM; resolves with the exit code once the process is gone. */
    stop(): Promise<number | null> {
      const proc = child
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc?.exitCode ?? null)
      return new Promise((resolve) => {
        proc.once('exit', (code) => resolve(code))
        proc.kill('SIGTERM')
      })
    },
    output: () => output,
    /** The config file the process reads (rewrite it, then send SIGHUP). */
    file,
    signal: (name: NodeJS.Signals) => child?.kill(name),
  }
}
