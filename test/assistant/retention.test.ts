import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { assistantJobs } from '../../src/db/schema/index.js'
import { forgetAssistantJobs, pruneAssistantJobs, queueAssistantJob } from '../../src/domain/assistant/jobs.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.close()
})

it('retention prunes finished assistant jobs older than retention.days, never pending or running ones', async () => {
  const { db } = database
  const ids: Record<string, number> = {}
  for (const name of ['oldDone', 'oldFailed', 'oldPending', 'oldRunning', 'newDone']) ids[name] = await queueAssistantJob(db, { id: 1 }, { kind: 'k', payload: { name } })
  const set = (name: string, state: string, daysAgo: number) =>
    db.execute(sql`UPDATE assistant_jobs SET state = ${state}, updated_at = UTC_TIMESTAMP(3) - INTERVAL ${daysAgo} DAY WHERE id = ${ids[name]}`)
  await set('oldDone', 'done', 31)
  await set('oldFailed', 'failed', 31)
  await set('oldPending', 'pending', 31)
  await set('oldRunning', 'running', 31)
  await set('newDone', 'done', 29)
  expect(await pruneAssistantJobs(db, 30)).toBe(2)
  const left = (await db.select().from(assistantJobs)).map((row) => (JSON.parse(row.payload) as { name: string }).name).sort()
  expect(left).toEqual(['newDone', 'oldPending', 'oldRunning'])
})

it("customer forget erases their jobs' payloads and results; a job not run yet never runs", async () => {
  const { db } = database
  const waiting = await queueAssistantJob(db, { id: 2 }, { kind: 'k', customerId: 7, payload: { text: 'my card number' }, dueAt: new Date(Date.now() + 3_600_000) })
  const done = await queueAssistantJob(db, { id: 2 }, { kind: 'k', customerId: 7, payload: { text: 'my address' } })
  const other = await queueAssistantJob(db, { id: 2 }, { kind: 'k', customerId: 8, payload: { text: 'someone else' } })
  await db.execute(sql`UPDATE assistant_jobs SET state = 'done', outcome = 'done', result = '{"answer":"at your address"}' WHERE id = ${done}`)
  expect(await forgetAssistantJobs(db, 2, 7)).toBe(2)
  const byId = new Map((await db.select().from(assistantJobs)).map((row) => [row.id, row]))
  expect(byId.get(waiting)).toMatchObject({ payload: '{}', result: null, state: 'failed', outcome: 'forgotten' })
  expect(byId.get(done)).toMatchObject({ payload: '{}', result: null, state: 'done', outcome: 'done' })
  expect(byId.get(other)).toMatchObject({ payload: '{"text":"someone else"}', state: 'pending' })
})
