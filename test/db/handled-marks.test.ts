import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js'
import { HandledMarks, storeUpdates } from '../../src/db/repositories/updates.js'
import { updates } from '../../src/db/schema/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { createQueryRecorder } from '../support/query-recorder.js'

/** Handled marks of updates finishing together share one statement per bot, and each caller waits for its own. */
describe('handled marks', () => {
  let database: TestDatabase
  let recorded: DatabaseHandle
  const recorder = createQueryRecorder()
  beforeAll(async () => {
    database = await createTestDatabase()
    recorded = createDatabase(database.url, { poolSize: 2, queryLogger: recorder })
  })
  afterAll(async () => {
    await recorded.close()
    await database.close()
  })

  it('marks the updates of handlings that finish together in one statement per bot', async () => {
    const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ update_id: from + i }))
    await storeUpdates(database.db, 1, 101, batch(1, 6))
    await storeUpdates(database.db, 1, 102, batch(1, 2))
    recorder.statements.length = 0
    const marks = new HandledMarks(recorded.db)
    const keys = [...batch(1, 6).map((u) => ({ botId: 101, updateId: u.update_id })), ...batch(1, 2).map((u) => ({ botId: 102, updateId: u.update_id }))]
    await Promise.all(keys.map((key) => marks.mark(key)))
    expect(recorder.statements.filter((statement) => statement.startsWith('update `updates`'))).toHaveLength(2)
    const rows = await database.db.select({ state: updates.state }).from(updates)
    expect(rows.map((row) => row.state)).toEqual(Array(8).fill('handled'))
    // A later handling gets a statement of its own, and its caller waits for it.
    await storeUpdates(database.db, 1, 101, batch(7, 1))
    await marks.mark({ botId: 101, updateId: 7 })
    const [late] = await database.db.select({ state: updates.state }).from(updates).where(eq(updates.updateId, 7))
    expect(late?.state).toBe('handled')
  })

  it('lets the marks asked for within its window share one statement (a steady stream, not only a burst)', async () => {
    const ids = [11, 12, 13]
    await storeUpdates(
      database.db,
      1,
      103,
      ids.map((id) => ({ update_id: id })),
    )
    recorder.statements.length = 0
    const marks = new HandledMarks(recorded.db, 300)
    const marked: Array<Promise<void>> = []
    for (const updateId of ids) {
      marked.push(marks.mark({ botId: 103, updateId }))
      // Handlings finishing one after another, each on its own turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await Promise.all(marked)
    expect(recorder.statements.filter((statement) => statement.startsWith('update `updates`'))).toHaveLength(1)
    const rows = await database.db.select({ state: updates.state }).from(updates).where(eq(updates.botId, 103))
    expect(rows.map((row) => row.state)).toEqual(['handled', 'handled', 'handled'])
  })
})
