import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { createDatabase } from '../db/client.js'
import { mysqlErrorCode } from '../db/errors.js'
import { importAccounts, parseAccountsCsv } from '../domain/accounts/import-accounts.js'

const usage = 'usage: npm run accounts:import -- accounts.csv [--project key]'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { project: { type: 'string', default: 'default' } },
})
const [file] = positionals
const url = process.env.DATABASE_URL
if (!file || positionals.length > 1) fail(usage)
if (!url) fail('DATABASE_URL is not set (npm run db:start prints a local one)')

const { rows, errors } = parseAccountsCsv(await readFile(file, 'utf8'))
if (errors.length > 0) {
  for (const { line, message } of errors) console.error(`${file}:${line}: ${message}`)
  fail(`nothing was imported: ${errors.length} error(s)`)
}

const { db, close } = createDatabase(url, { poolSize: 1 })
try {
  const { inserted, updated } = await importAccounts(db, values.project, rows)
  console.log(`imported ${rows.length} account(s) into project "${values.project}": ${inserted} new, ${updated} updated`)
} catch (error) {
  fail(mysqlErrorCode(error) === 'ER_NO_SUCH_TABLE' ? 'the database has no tables yet; run npm run migrate first' : `import failed: ${(error as Error).message}`)
} finally {
  await close()
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}
