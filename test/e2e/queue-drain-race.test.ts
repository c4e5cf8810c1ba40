import { eq, sql } from 'drizzle-orm'
import { expect, it } from 'vitest'
import { customers } from '../../src/db/schema/index.js'
import { drainQueue } from '../../src/domain/owners/queue.js'
import { pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

// Zoe waits in the queue: with nobody online, routing leaves her there.
const { h } = useOnboardedZoe({ project: { routing: { rule: 'online_first', whenNobodyOnline: 'queue' } } })
const acme = () => h.app.projects.find((p) => p.id === h.projectId)!
const zoeRow = async () => (await h.database.db.select().from(customers).where(eq(customers.projectId, h.projectId)))[0]!

// A race seen under load (owner-change test, 2026-12-07): the queue's drain listed Zoe as waiting,
// a person gave her an owner before the drain locked her row, and the drain, finding nobody
// online, took that owner away again.
it('leaves a customer alone who got an owner after the queue listed them', async () => {
  const carol = h.world.people.carol.id
  const zoe = await zoeRow()
  expect(zoe.queuedAt).not.toBeNull()
  let drained: Promise<number> | undefined
  await h.app.db.transaction(async (tx) => {
    // A person's change, not committed yet (the owner alone: the log row's foreign key would
    // wait for the routing lock the drain takes, and this is about the customer's row).
    await tx.update(customers).set({ ownerUserId: carol, queuedAt: null }).where(eq(customers.id, zoe.id))
    // The drain lists Zoe as waiting, takes the routing lock, then waits for her row.
    drained = drainQueue(h.app.deps, acme())
    await pollUntil(
      async () => {
        const [rows] = (await h.database.db.execute(sql`SELECT COUNT(*) AS waiting FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'`)) as unknown as [
          Array<{ waiting: number }>,
        ]
        return Number(rows[0]?.waiting) > 0
      },
      { message: 'the drain waits for Zoe’s row' },
    )
  })
  expect(await drained).toBe(0)
  expect((await zoeRow()).ownerUserId).toBe(carol)
})
