import { eq } from 'drizzle-orm'
import { expect, it } from 'vitest'
import { customers } from '../../src/db/schema/index.js'
import { changeOwner } from '../../src/domain/owners/change-owner.js'
import { lockRouting, routeOwner } from '../../src/domain/owners/route-owner.js'
import { useOnboardedZoe } from '../support/suite.js'

// Zoe waits in the queue: with nobody online, routing leaves her there.
const { h } = useOnboardedZoe({ project: { routing: { rule: 'online_first', whenNobodyOnline: 'queue' } } })
const acme = () => h.app.projects.find((p) => p.id === h.projectId)!
const zoeRow = async () => (await h.database.db.select().from(customers).where(eq(customers.projectId, h.projectId)))[0]!

// A race seen under load (owner-change test, 2026-12-07): the queue's drain listed Zoe as waiting,
// a person gave her an owner before the drain locked her row, and the drain, finding nobody
// online, took that owner away again. The drain's step now routes only a customer its locked
// row still shows waiting. (Played as a real race — a transaction holding her row while the
// drain waited for it — the test failed before the fix, but waiting for InnoDB's lock wait was
// itself slow and flaky under load; this plays the drain's step on the row as it is afterwards.)
it('leaves a customer alone who got an owner after the queue listed them', async () => {
  const carol = h.world.people.carol.id
  const zoe = await zoeRow()
  expect(zoe.queuedAt).not.toBeNull()
  await h.app.db.transaction((tx) => changeOwner(tx, acme(), zoe.id, { to: carol, by: h.world.people.alice.id, reason: 'transfer' }))
  const choice = await h.app.db.transaction(async (tx) => {
    await lockRouting(tx, acme())
    return routeOwner(tx, acme(), zoe.id, 'queue', h.app.deps.clock.now(), { onlyWaiting: true })
  })
  expect(choice).toBeUndefined()
  expect((await zoeRow()).ownerUserId).toBe(carol)
})
