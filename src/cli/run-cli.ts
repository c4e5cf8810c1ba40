import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { createDatabase, type Database } from '../db/client.js'

/** What a command reads and writes besides its arguments: the process's own, or a caller's (a test runs commands in its own process). */
export interface CliIo {
  env: NodeJS.ProcessEnv
  stdout: OutputStream
  stderr: OutputStream
}

interface OutputStream {
  write(text: string): unknown
}

export const processIo: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr }

/** A command: its exit code for argv. */
export type CliCommand = (argv: string[], io?: CliIo) => Promise<number>

/** Writes text and a newline (console.log's line, on the command's stream). */
export function writeLine(stream: OutputStream, text: string): void {
  stream.write(`${text}\n`)
}

/** A command against DATABASE_URL: opens one connection, runs `main`, closes it (2 when DATABASE_URL is missing). */
export function withDatabase(main: (db: Database, argv: string[], io: CliIo) => Promise<number>): CliCommand {
  return async (argv, io = processIo) => {
    const url = io.env.DATABASE_URL
    if (!url) {
      writeLine(io.stderr, 'DATABASE_URL is not set')
      return 2
    }
    const { db, close } = createDatabase(url, { poolSize: 1 })
    try {
      return await main(db, argv, io)
    } finally {
      await close()
    }
  }
}

/**
 * Runs the command as the process when its module is the one node was started with
 * (`tsx src/cli/x.ts`, `node dist/cli/x.js`), and exits with its code (1 on an unexpected error).
 */
export function runWhenMain(moduleUrl: string, command: CliCommand): void {
  if (!isMainModule(moduleUrl)) return
  command(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error)
      process.exit(1)
    },
  )
}

function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1]
  try {
    return script !== undefined && pathToFileURL(realpathSync(script)).href === moduleUrl
  } catch {
    return false
  }
}

/** Tells the operator why the command stopped; returns its exit code. */
export function fail(io: CliIo, message: string, code: number): number {
  writeLine(io.stderr, message)
  return code
}

/** The service's config file: TOPICDESK_CONFIG or config/topicdesk.yaml. */
export const configPathOf = (env: NodeJS.ProcessEnv): string => env.TOPICDESK_CONFIG ?? 'config/topicdesk.yaml'
