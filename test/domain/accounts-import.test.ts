import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts, projects } from '../../src/db/schema/index.js'
import { importAccounts, parseAccountsCsv } from '../../src/domain/accounts/import-accounts.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

const goodCsv = [
  'email,name,account_id,cr_team,treatment',
  ' Alice@Example.COM ,Alice Adams,A-1,north,yes',
  'bob@example.com,"Bob, the Builder",A-2,,',
  'carol@example.com,Carol 🦄 Chen,A-3,south,0',
].join('\n')

describe('parseAccountsCsv', () => {
  it('normalises emails and reads every treatment spelling', () => {
    const { rows, errors } = parseAccountsCsv(goodCsv)
    expect(errors).toEqual([])
    expect(rows).toEqual([
      { line: 2, email: 'alice@example.com', displayName: 'Alice Adams', externalId: 'A-1', crTeam: 'north', treatment: true },
      { line: 3, email: 'bob@example.com', displayName: 'Bob, the Builder', externalId: 'A-2', crTeam: null, treatment: false },
      { line: 4, email: 'carol@example.com', displayName: 'Carol 🦄 Chen', externalId: 'A-3', crTeam: 'south', treatment: false },
    ])
  })

  it('reports every bad row with its line number', () => {
    const csv = [
      'email,name,account_id,cr_team,treatment',
      'ok@example.com,Ok,A-1,,true',
      'not-an-email,Bad,A-2,,',
      'OK@example.com,Dup,A-3,,',
      'missing@example.com,,,,',
      '',
      'flag@example.com,Flag,A-5,,maybe',
      'short@example.com,Short',
    ].join('\r\n')
    const { errors } = parseAccountsCsv(csv)
    expect(errors).toEqual([
      { line: 3, message: 'email "not-an-email" is not a valid address' },
      { line: 4, message: 'email ok@example.com is already on line 2' },
      { line: 5, message: 'name is missing' },
      { line: 5, message: 'account_id is missing' },
      { line: 7, message: 'treatment must be true/false, yes/no, 1/0 or empty, not "maybe"' },
      { line: 8, message: 'expected 5 fields, found 2' },
    ])
  })

  it('rejects a header with missing or unknown columns', () => {
    const { errors } = parseAccountsCsv('email,nmae,account_id\nx@example.com,X,1\n')
    expect(errors).toEqual([
      { line: 1, message: 'the header has no "name" column' },
      { line: 1, message: 'unknown column "nmae"; expected email,name,account_id,cr_team,treatment' },
    ])
  })

  it('reports an empty file and broken quoting', () => {
    expect(parseAccountsCsv('').errors).toEqual([{ line: 1, message: expect.stringContaining('the file is empty') }])
    expect(parseAccountsCsv('email,name,account_id\n"x@example.com,X,1\n').errors).toEqual([{ line: expect.any(Number), message: expect.stringContaining('not valid CSV') }])
  })
})

describe('importAccounts', () => {
  let testDb: TestDatabase
  beforeAll(async () => {
    testDb = await createTestDatabase()
  })
  afterAll(async () => {
    await testDb?.close()
  })

  const accountsOf = (projectKey: string) =>
    testDb.db
      .select({ email: accounts.email, displayName: accounts.displayName, externalId: accounts.externalId, crTeamHint: accounts.crTeamHint, treatment: accounts.treatment })
      .from(accounts)
      .innerJoin(projects, eq(projects.id, accounts.projectId))
      .where(eq(projects.key, projectKey))
      .orderBy(accounts.email)

  it('creates the project and inserts every account, emoji intact', async () => {
    const { rows } = parseAccountsCsv(goodCsv)
    expect(await importAccounts(testDb.db, { key: 'acme', name: 'acme' }, rows)).toEqual({ inserted: 3, updated: 0 })
    const [project] = await testDb.db.select().from(projects).where(eq(projects.key, 'acme'))
    expect(project?.name).toBe('acme')
    expect(await accountsOf('acme')).toEqual([
      { email: 'alice@example.com', displayName: 'Alice Adams', externalId: 'A-1', crTeamHint: 'north', treatment: true },
      { email: 'bob@example.com', displayName: 'Bob, the Builder', externalId: 'A-2', crTeamHint: null, treatment: false },
      { email: 'carol@example.com', displayName: 'Carol 🦄 Chen', externalId: 'A-3', crTeamHint: 'south', treatment: false },
    ])
  })

  it('updates existing accounts on re-import and keeps projects apart', async () => {
    const csv = ['email,name,account_id,cr_team,treatment', 'alice@example.com,Alice 👩‍💻 Adams,A-1b,,no', 'dave@example.com,Dave,A-4,east,1'].join('\n')
    expect(await importAccounts(testDb.db, { key: 'acme', name: 'acme' }, parseAccountsCsv(csv).rows)).toEqual({ inserted: 1, updated: 1 })
    expect(await accountsOf('acme')).toEqual([
      { email: 'alice@example.com', displayName: 'Alice 👩‍💻 Adams', externalId: 'A-1b', crTeamHint: null, treatment: false },
      { email: 'bob@example.com', displayName: 'Bob, the Builder', externalId: 'A-2', crTeamHint: null, treatment: false },
      { email: 'carol@example.com', displayName: 'Carol 🦄 Chen', externalId: 'A-3', crTeamHint: 'south', treatment: false },
      { email: 'dave@example.com', displayName: 'Dave', externalId: 'A-4', crTeamHint: 'east', treatment: true },
    ])
    expect(await importAccounts(testDb.db, { key: 'other', name: 'other' }, parseAccountsCsv(csv).rows)).toEqual({ inserted: 2, updated: 0 })
    expect(await accountsOf('other')).toHaveLength(2)
  })

  it('writes nothing when the import fails part-way', async () => {
    const rows = parseAccountsCsv(goodCsv).rows
    const tooLong = { ...rows[0]!, email: 'new@example.com', externalId: 'x'.repeat(300) }
    await expect(importAccounts(testDb.db, { key: 'rollback', name: 'rollback' }, [...rows, tooLong])).rejects.toThrow()
    expect(await testDb.db.select().from(projects).where(eq(projects.key, 'rollback'))).toEqual([])
  })
})
