import { ConfigError, loadConfig } from '../config/index.js'
import { renderReport, runDoctor } from '../doctor/run-doctor.js'
import { configPathOf, processIo, runWhenMain, writeLine, type CliIo } from './run-cli.js'

/**
 * `npm run doctor [-- path/to/config.yaml]`: checks the config against the Bot API (or the
 * simulator) and the database; prints one ✓/✗ table with a fix per ✗, exits 1 on any ✗.
 */
export async function doctorCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const path = argv[0] ?? configPathOf(io.env)
  try {
    const rows = await runDoctor(loadConfig(path, io.env))
    writeLine(io.stdout, renderReport(rows))
    return rows.every((r) => r.ok) ? 0 : 1
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    writeLine(io.stdout, `✗ config  ${path}\n${error.message}\n  → fix the config file; nothing else was checked`)
    return 1
  }
}

runWhenMain(import.meta.url, doctorCli)
