import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { CliCommand } from '../../src/cli/run-cli.js'

export interface CliOutcome {
  code: number
  stdout: string
  stderr: string
}

/**
 * A command of src/cli run in this process, as an operator's shell sees it: its exit code and
 * what it wrote. `env` is added to this process's environment, like a shell's `NAME=value npm run …`.
 */
export async function runCli(command: CliCommand, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliOutcome> {
  let stdout = ''
  let stderr = ''
  const code = await command(argv, {
    env: { ...process.env, ...env },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  })
  return { code, stdout, stderr }
}

/** The same command as its own process (`npm run x` runs `tsx src/cli/x.ts`): one test per command proves that path. */
export function spawnCli(file: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliOutcome> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', file, ...argv], { env: { ...process.env, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  )
}
