import { parse } from 'csv-parse/sync'
import { eq, inArray, sql } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { Database, DbOrTx } from '../../db/client.js'
import { accounts, projects } from '../../db/schema/index.js'
import { normaliseEmail } from './directory.js'
import { BUILT_IN_TEXTS as T } from '../../texts/index.js'

/** One valid CSV row, ready to upsert. `line` is its line in the file, for messages. */
export interface AccountImportRow {
  line: number
  email: string
  displayName: string
  externalId: string
  crTeam: string | null
  treatment: boolean
}

export interface CsvLineError {
  line: number
  message: string
}

const requiredColumns = ['email', 'name', 'account_id'] as const
const knownColumns: readonly string[] = [...requiredColumns, 'cr_team', 'treatment']
const maxLength = { name: 255, account_id: 128, cr_team: 64 } as const
const treatmentValues: Record<string, boolean> = { '': false, true: true, yes: true, '1': true, false: false, no: false, '0': false }
const upsertBatchSize = 500

/**
 * Parses and validates an accounts CSV (header: email,name,account_id,cr_team,treatment).
 * Every problem is reported with its line; callers import nothing unless `errors` is empty.
 */
export function parseAccountsCsv(text: string): { rows: AccountImportRow[]; errors: CsvLineError[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>
  try {
    // With `info: true` csv-parse returns { record, info } pairs; its typings do not model that option.
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1
    return { rows: [], errors: [{ line, message: T.staff('csvInvalid', { error: (error as Error).message }) }] }
  }
  const [header, ...body] = records
  if (!header) return { rows: [], errors: [{ line: 1, message: T.staff('csvEmpty', { columns: knownColumns.join(',') }) }] }

  const columns = header.record.map((name) => name.toLowerCase())
  const errors = checkHeader(columns, header.info.lines)
  if (errors.length > 0) return { rows: [], errors }

  const rows: AccountImportRow[] = []
  const firstLineOfEmail = new Map<string, number>()
  for (const { record, info } of body) {
    const line = info.lines
    if (record.length !== columns.length) {
      errors.push({ line, message: T.staff('csvFieldCount', { expected: columns.length, found: record.length }) })
      continue
    }
    const field = (name: string) => record[columns.indexOf(name)] ?? ''
    const problems: string[] = []
    const rawEmail = field('email')
    const email = normaliseEmail(rawEmail)
    if (!rawEmail) problems.push(T.staff('csvMissing', { column: 'email' }))
    else if (!email) problems.push(T.staff('csvBadEmail', { email: rawEmail }))
    else if (firstLineOfEmail.has(email)) problems.push(T.staff('csvDuplicateEmail', { email, line: firstLineOfEmail.get(email)! }))
    else firstLineOfEmail.set(email, line)
    for (const name of ['name', 'account_id'] as const) if (!field(name)) problems.push(T.staff('csvMissing', { column: name }))
    for (const [name, max] of Object.entries(maxLength)) {
      if ([...field(name)].length > max) problems.push(T.staff('csvTooLong', { column: name, max }))
    }
    const treatment = treatmentValues[field('treatment').toLowerCase()]
    if (treatment === undefined) problems.push(T.staff('csvBadTreatment', { value: field('treatment') }))

    if (problems.length > 0 || !email || treatment === undefined) {
      errors.push(...problems.map((message) => ({ line, message })))
      continue
    }
    rows.push({ line, email, displayName: field('name'), externalId: field('account_id'), crTeam: field('cr_team') || null, treatment })
  }
  return { rows, errors }
}

function checkHeader(columns: string[], line: number): CsvLineError[] {
  const errors: CsvLineError[] = []
  for (const name of requiredColumns) if (!columns.includes(name)) errors.push({ line, message: T.staff('csvNoColumn', { column: name }) })
  for (const [i, name] of columns.entries()) {
    if (!knownColumns.includes(name)) errors.push({ line, message: T.staff('csvUnknownColumn', { column: name, columns: knownColumns.join(',') }) })
    else if (columns.indexOf(name) !== i) errors.push({ line, message: T.staff('csvColumnTwice', { column: name }) })
  }
  return errors
}

/**
 * Upserts the rows into a configured project's accounts in one transaction, keyed on (project, email);
 * creates the project row when the service has not started with it yet. `updated` counts emails that already existed.
 */
export async function importAccounts(db: Database, project: { key: string; name: string }, rows: AccountImportRow[]): Promise<{ inserted: number; updated: number }> {
  return db.transaction(async (tx) => {
    const projectId = await findOrCreateProject(tx, project)
    let updated = 0
    for (let start = 0; start < rows.length; start += upsertBatchSize) {
      const batch = rows.slice(start, start + upsertBatchSize)
      const existing = await tx
        .select({ email: accounts.email })
        .from(accounts)
        .where(
          inProject(
            accounts,
            projectId,
            inArray(
              accounts.email,
              batch.map((row) => row.email),
            ),
          ),
        )
      updated += existing.length
      await tx
        .insert(accounts)
        .values(
          batch.map((row) =>
            projectRow(accounts, projectId, { email: row.email, displayName: row.displayName, externalId: row.externalId, crTeamHint: row.crTeam, treatment: row.treatment }),
          ),
        )
        // VALUES(col) works on MariaDB and MySQL 8 alike (MySQL's `AS new` alias does not exist on MariaDB).
        .onDuplicateKeyUpdate({
          set: {
            displayName: sql`VALUES(${sql.identifier(accounts.displayName.name)})`,
            externalId: sql`VALUES(${sql.identifier(accounts.externalId.name)})`,
            crTeamHint: sql`VALUES(${sql.identifier(accounts.crTeamHint.name)})`,
            treatment: sql`VALUES(${sql.identifier(accounts.treatment.name)})`,
          },
        })
    }
    return { inserted: rows.length - updated, updated }
  })
}

async function findOrCreateProject(db: DbOrTx, { key, name }: { key: string; name: string }): Promise<number> {
  const find = () => db.select({ id: projects.id }).from(projects).where(eq(projects.key, key))
  const [found] = await find()
  if (found) return found.id
  // A no-op update on conflict: a concurrent import may have created it meanwhile.
  await db
    .insert(projects)
    .values({ key, name })
    .onDuplicateKeyUpdate({ set: { id: sql`${sql.identifier(projects.id.name)}` } })
  const [created] = await find()
  if (!created) throw new Error(`project "${key}" could not be created`)
  return created.id
}
