import { eq, is, sql } from 'drizzle-orm'
import { getTableConfig, MySqlTable } from 'drizzle-orm/mysql-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as schema from '../../src/db/schema/index.js'
import { runMigrations } from '../../src/db/migrate.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

const tableNames = Object.values(schema)
  .filter((value) => is(value, MySqlTable))
  .map((table) => getTableConfig(table).name)

describe('migrations', () => {
  let testDb: TestDatabase
  beforeAll(async () => {
    // From the migrations themselves, not the run's template made of them.
    testDb = await createTestDatabase({ runMigrations: true })
  })
  afterAll(async () => {
    await testDb?.close()
  })

  it('create every table of the schema', async () => {
    const [rows] = (await testDb.db.execute(sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()`)) as unknown as [Array<{ name: string }>]
    const existing = rows.map((row) => row.name)
    expect(tableNames.length).toBeGreaterThan(10)
    for (const name of tableNames) expect(existing).toContain(name)
  })

  it('are idempotent when run again', async () => {
    await expect(runMigrations(testDb.url)).resolves.toBeUndefined()
  })

  it('store a supergroup chat id (BIGINT) exactly', async () => {
    const chatId = -1001234567890123
    await testDb.db.insert(schema.systemTopics).values({ projectId: 1, chatId, purpose: 'onboarding', threadId: 2 ** 40 + 7 })
    const [row] = await testDb.db.select().from(schema.systemTopics).where(eq(schema.systemTopics.chatId, chatId))
    expect(row?.chatId).toBe(chatId)
    expect(row?.threadId).toBe(2 ** 40 + 7)
  })

  it('store 4-byte emoji (utf8mb4) intact', async () => {
    const name = 'Zoë 🦄👩‍💻 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'
    await testDb.db.insert(schema.projects).values({ key: 'emoji', name })
    const [row] = await testDb.db.select().from(schema.projects).where(eq(schema.projects.key, 'emoji'))
    expect(row?.name).toBe(name)
  })

  it('read DATETIME defaults back as the current UTC instant', async () => {
    const before = Date.now()
    await testDb.db.insert(schema.projects).values({ key: 'clock', name: 'clock' })
    const [row] = await testDb.db.select().from(schema.projects).where(eq(schema.projects.key, 'clock'))
    expect(Math.abs(row!.createdAt.getTime() - before)).toBeLessThan(60_000)
  })
})
