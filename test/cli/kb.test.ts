import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kbCli } from '../../src/cli/kb.js'
import { projects } from '../../src/db/schema/index.js'
import { runCli, spawnCli } from '../support/cli.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

let database: TestDatabase
let dir: string

beforeAll(async () => {
  database = await createTestDatabase()
  await database.db.insert(projects).values({ key: 'acme', name: 'Acme' })
  dir = mkdtempSync(join(tmpdir(), 'topicdesk-kb-'))
  cpSync('test/fixtures/kb/acme', join(dir, 'kb', 'acme'), { recursive: true })
  // The folder is relative to the config file, like flowsFile.
  const project = {
    key: 'acme',
    name: 'Acme',
    bots: { client: '1:a', cs: '2:b', cr: '3:c' },
    groups: { cs: { chatId: -1 }, cr: [{ key: 'north', title: 'North', chatId: -2 }] },
    assistant: { knowledge: './kb/acme/' },
  }
  // An assistant without an embedding model: the sync makes no provider call.
  const assistant = { baseUrl: 'http://127.0.0.1:9/v1', model: 'none' }
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ database: { url: 'mysql://ignored@h/db' }, assistant, projects: [project] }))
})
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await database.close()
})

const env = () => ({ DATABASE_URL: database.url, TOPICDESK_CONFIG: join(dir, 'config.json') })
const kb = (...args: string[]) => runCli(kbCli, args, env())

describe('npm run kb', () => {
  it('syncs the configured folder, again without changes, and refuses a broken file by its path', async () => {
    // As its own process, as `npm run kb` runs it.
    const first = await spawnCli('src/cli/kb.ts', ['sync', '--project', 'acme'], env())
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/Knowledge base of acme synced from .*kb\/acme: 7 file\(s\), \d+ passage\(s\) added, 0 removed, 0 unchanged\./)
    const again = await kb('sync', '--project', 'acme')
    expect(again.stdout).toMatch(/7 file\(s\), 0 passage\(s\) added, 0 removed, \d+ unchanged\./)

    writeFileSync(join(dir, 'kb', 'acme', 'policies', 'broken.md'), Buffer.from([0x00, 0x01, 0x02]))
    const broken = await kb('sync', '--project', 'acme')
    expect(broken.code).toBe(1)
    expect(broken.stderr).toContain('Refused policies/broken.md: not a text file (it holds NUL bytes) (its earlier passages are kept).')

    const search = await kb('search', '--project', 'acme', 'I', 'forgot', 'my', 'password')
    expect(search.stdout).toMatch(/^1\.000 {2}#\d+ {2}accounts\.md#Your account > Resetting your password\n/)
    expect(search.stdout).toContain('Confident: yes')
    expect(await kb('sync', '--project', 'acme', '--folder', join(dir, 'missing'))).toMatchObject({ code: 1, stderr: expect.stringContaining('does not exist') })
  })
})
