import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type ProjectConfig } from '../config/index.js'
import { createDatabase } from '../db/client.js'
import { mysqlErrorCode } from '../db/errors.js'
import { importAccounts, parseAccountsCsv } from '../domain/accounts/import-accounts.js'

const usage = 'usage: npm run accounts:import -- accounts.csv [--project key]   (reads TOPICDESK_CONFIG or config/topicdesk.yaml)'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { project: { type: 'string' } } })
const [file] = positionals
if (!file || positionals.length > 1) fail(usage)

const configPath = process.env.TOPICDESK_CONFIG ?? 'config/topicdesk.yaml'
let config
try {
  config = loadConfig(configPath)
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error))
}
const project = chooseProject(config.projects, values.project)

const { rows, errors } = parseAccountsCsv(await readFile(file, 'utf8'))
if (errors.length > 0) {
  for (const { line, message } of errors) console.error(`${file}:${line}: ${message}`)
  fail(`nothing was imported: ${errors.length} error(s)`)
}

const { db, close } = createDatabase(config.database.url, { poolSize: 1 })
try {
  const { inserted, updated } = await importAccounts(db, project, rows)
  console.log(`imported ${rows.length} account(s) into project "${project.key}": ${inserted} new, ${updated} updated`)
} catch (error) {
  fail(mysqlErrorCode(error) === 'ER_NO_SUCH_TABLE' ? 'the database has no tables yet; run npm run migrate first' : `import failed: ${(error as Error).message}`)
} finally {
  await close()
}

/** Accounts belong to a configured project: a mistyped key would otherwise create a project nobody serves. */
function chooseProject(configured: ProjectConfig[], key: string | undefined): ProjectConfig {
  const keys = configured.map((p) => p.key).join(', ')
  if (key === undefined) {
    if (configured.length === 1) return configured[0]!
    fail(`several projects are configured (${keys}); choose one with --project`)
  }
  const found = configured.find((p) => p.key === key)
  if (!found) fail(`project "${key}" is not in the config; configured projects: ${keys}`)
  return found
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}
