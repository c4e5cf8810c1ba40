import { sql } from 'drizzle-orm'
import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js'
import { insertRowsWithIds, readMultiRowInsertIds } from '../../src/db/insert-ids.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

const probe = mysqlTable('insert_ids_probe', { id: int('id').autoincrement().primaryKey(), note: varchar('note', { length: 20 }).notNull() })

/**
 * A multi-row insert's ids follow the step of the connection it ran on. A Galera cluster of three
 * sets auto_increment_increment = 3 (per session, and it changes them when the cluster shrinks):
 * a step read once at start (1, before the nodes joined) numbered the rows 1 apart.
 */
describe('the ids of a multi-row insert', () => {
  let database: TestDatabase
  let handle: DatabaseHandle
  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 1 })
    await database.db.execute(sql`CREATE TABLE insert_ids_probe (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(20) NOT NULL)`)
    handle = createDatabase(database.url, { poolSize: 1 })
  })
  afterAll(async () => {
    await handle.close()
    await database.close()
  })

  it('follow the step of the session that inserted them', async () => {
    // The server numbers simple inserts consecutively (lock mode 1, no wsrep), read at start with step 1.
    expect(await readMultiRowInsertIds(handle.db)).toBe(true)
    // Then the step becomes 3 (one pooled connection: the same session the transaction gets).
    await handle.db.execute(sql`SET SESSION auto_increment_increment = 3`)
    const notes = ['first', 'second', 'third']
    const ids = await handle.db.transaction((tx) =>
      insertRowsWithIds(
        tx,
        probe,
        notes.map((note) => ({ note })),
        true,
      ),
    )
    const stored = await database.db.select().from(probe).orderBy(probe.id)
    expect(stored.map((row) => row.id)).toEqual(ids)
    expect(stored.map((row) => row.note)).toEqual(notes)
    expect(ids[1]! - ids[0]!).toBe(3)
  })

  it('are taken one insert a row where the database may not number them consecutively', async () => {
    const ids = await handle.db.transaction((tx) => insertRowsWithIds(tx, probe, [{ note: 'a' }, { note: 'b' }], false))
    const stored = await database.db
      .select()
      .from(probe)
      .where(sql`${probe.note} IN ('a', 'b')`)
      .orderBy(probe.id)
    expect(stored.map((row) => row.id)).toEqual(ids)
  })
})
