import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type ProjectConfig } from '../config/index.js'
import { createDatabase } from '../db/client.js'
import { mysqlErrorCode } from '../db/errors.js'
import { importAccounts, parseAccountsCsv } from '../domain/accounts/import-accounts.js'
import { configPathOf, fail, processIo, runWhenMain, writeLine, type CliIo } from './run-cli.js'

const usage = 'usage: npm run accounts:import -- accounts.csv [--project key]   (reads TOPICDESK_CONFIG or config/topicdesk.yaml)'

/** `npm run accounts:import`: a CSV of accounts into a configured project, against the config's database. */
export async function accountsImportCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { project: { type: 'string' } } })
  const [file] = positionals
  if (!file || positionals.length > 1) return fail(io, usage, 1)

  let config
  try {
    config = loadConfig(configPathOf(io.env), io.env)
  } catch (error) {
    return fail(io, error instanceof ConfigError ? error.message : String(error), 1)
  }
  const project = chooseProject(config.projects, values.project)
  if (typeof project === 'string') return fail(io, project, 1)

  const { rows, errors } = parseAccountsCsv(await readFile(file, 'utf8'))
  if (errors.length > 0) {
    for (const { line, message } of errors) writeLine(io.stderr, `${file}:${line}: ${message}`)
    return fail(io, `nothing was imported: ${errors.length} error(s)`, 1)
  }

  const { db, close } = createDatabase(config.database.urls, { poolSize: 1 })
  try {
    const { inserted, updated } = await importAccounts(db, project, rows)
    writeLine(io.stdout, `imported ${rows.length} account(s) into project "${project.key}": ${inserted} new, ${updated} updated`)
    return 0
  } catch (error) {
    return fail(io, mysqlErrorCode(error) === 'ER_NO_SUCH_TABLE' ? 'the database has no tables yet; run npm run migrate first' : `import failed: ${(error as Error).message}`, 1)
  } finally {
    await close()
  }
}

/** Accounts belong to a configured project: a mistyped key would otherwise create a project nobody serves. Else why not. */
function chooseProject(configured: ProjectConfig[], key: string | undefined): ProjectConfig | string {
  const keys = configured.map((p) => p.key).join(', ')
  if (key === undefined) return configured.length === 1 ? configured[0]! : `several projects are configured (${keys}); choose one with --project`
  return configured.find((p) => p.key === key) ?? `project "${key}" is not in the config; configured projects: ${keys}`
}

runWhenMain(import.meta.url, accountsImportCli)
