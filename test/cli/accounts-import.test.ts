import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accountsImportCli } from '../../src/cli/accounts-import.js'
import { accounts, projects } from '../../src/db/schema/index.js'
import { runCli, spawnCli, type CliOutcome } from '../support/cli.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/** `npm run accounts:import` as an operator runs it: the service's config file plus DATABASE_URL. */
describe('accounts:import', () => {
  let testDb: TestDatabase
  let dir: string
  beforeAll(async () => {
    testDb = await createTestDatabase()
    dir = mkdtempSync(join(tmpdir(), 'topicdesk-import-'))
    const project = (key: string, n: number) => ({
      key,
      name: `${key} brand`,
      bots: { client: `${n}1:a`, cs: `${n}2:b`, cr: `${n}3:c` },
      groups: { cs: { chatId: -n * 10 - 1 }, cr: [{ key: 'north', title: 'North', chatId: -n * 10 - 2 }] },
    })
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ database: { url: 'mysql://ignored@h/db' }, projects: [project('acme', 1), project('beta', 2)] }))
    writeFileSync(join(dir, 'accounts.csv'), 'email,name,account_id\nzoe@example.com,Zoe,A-1\n')
  })
  afterAll(async () => {
    await testDb?.close()
  })

  const env = () => ({ DATABASE_URL: testDb.url, TOPICDESK_CONFIG: join(dir, 'config.json') })
  const outcome = ({ code, stdout, stderr }: CliOutcome) => ({ code, output: stdout + stderr })
  const importCsv = async (...args: string[]) => outcome(await runCli(accountsImportCli, [join(dir, 'accounts.csv'), ...args], env()))

  it('refuses a project key that is not in the config and imports nothing', async () => {
    const result = await importCsv('--project', 'acmee')
    expect(result).toEqual({ code: 1, output: expect.stringContaining('project "acmee" is not in the config; configured projects: acme, beta') })
    expect(await testDb.db.select().from(accounts)).toEqual([])
    expect(await testDb.db.select().from(projects)).toEqual([])
  })

  it('asks for --project when several projects are configured', async () => {
    expect(await importCsv()).toEqual({ code: 1, output: expect.stringContaining('several projects are configured (acme, beta); choose one with --project') })
  })

  it('imports into a configured project, named as in the config (as its own process: npm run accounts:import)', async () => {
    expect(outcome(await spawnCli('src/cli/accounts-import.ts', [join(dir, 'accounts.csv'), '--project', 'beta'], env()))).toEqual({
      code: 0,
      output: expect.stringContaining('imported 1 account(s) into project "beta": 1 new, 0 updated'),
    })
    expect(await testDb.db.select({ key: projects.key, name: projects.name }).from(projects)).toEqual([{ key: 'beta', name: 'beta brand' }])
  })
})
