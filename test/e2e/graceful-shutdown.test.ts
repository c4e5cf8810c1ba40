import { writeFileSync } from 'node:fs'
import { and, eq, inArray } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { createConfig } from '../../src/config/index.js'
import { outbox, projects, staff } from '../../src/db/schema/index.js'
import { createSampleWorld, sampleConfig } from '../../src/demo/sample-world.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { UNCERTAIN_SEND_GRACE_MS } from '../../src/delivery/held-claims.js'
import { pollUntil } from '../support/poll.js'
import { importSampleAccounts } from '../support/harness.js'
import { serviceProcess } from '../support/service-process.js'

let sim: Simulator | undefined
let database: TestDatabase | undefined
let service: ReturnType<typeof serviceProcess> | undefined
afterEach(async () => {
  await service?.kill()
  await sim?.close()
  await database?.close()
})

/** A service process whose client has written; its /start answer is held up by a slow Telegram. */
async function startWithSlowSendInFlight(drainSeconds: number, latencyMs: number) {
  sim = await startSimulator()
  database = await createTestDatabase()
  const world = createSampleWorld(sim)
  const base = sampleConfig(sim, world, database.url, { log: { level: 'info' } })
  const config = { ...base, delivery: { ...base.delivery, drainSeconds } }
  createConfig(config)
  service = serviceProcess(config)
  await service.start()
  await importSampleAccounts(database, world)
  sim.setLatency({ methods: { sendMessage: latencyMs } })
  sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: '/start' })
  const db = database.db
  await pollUntil(async () => (await db.select().from(outbox).where(eq(outbox.state, 'sending'))).length > 0, { message: 'a send in flight' })
  return { world, db, config }
}

describe('SIGTERM', () => {
  it('stops taking updates and lets the send in flight finish before exiting 0', async () => {
    const { world, db } = await startWithSlowSendInFlight(10, 1500)
    const started = Date.now()
    const code = await service!.stop()
    expect(code).toBe(0)
    // The answer was in flight at SIGTERM: it was delivered and recorded, nothing is left mid-send.
    expect(sim!.privateMessages(world.people.zoe.id, world.bots.client.id).some((m) => m.from.is_bot && m.text?.includes('email'))).toBe(true)
    expect(
      await db
        .select()
        .from(outbox)
        .where(inArray(outbox.state, ['sending', 'pending'])),
    ).toEqual([])
    expect(service!.output()).toContain('outbox drained')
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('bounds the drain: a send that outlasts drainSeconds is due again after a short grace (not its lease), and goes out on restart', async () => {
    const { world, db, config } = await startWithSlowSendInFlight(1, 20_000)
    const started = Date.now()
    const code = await service!.stop()
    expect(code).toBe(0)
    expect(Date.now() - started).toBeLessThan(8_000)
    expect(service!.output()).toContain('outbox drain timed out')
    // Its outcome is unknown (at-least-once): the row is no longer claimed, and due again within seconds.
    const waiting = await db
      .select()
      .from(outbox)
      .where(inArray(outbox.state, ['sending', 'pending']))
    expect(waiting).toMatchObject([{ state: 'pending' }])
    expect(waiting[0]!.nextAttemptAt.getTime()).toBeLessThan(Date.now() + UNCERTAIN_SEND_GRACE_MS)
    // Restarted, the service sends it well before the 60 s lease would have let it go.
    sim!.setLatency(false)
    service = serviceProcess(config)
    await service.start()
    const restarted = Date.now()
    await sim!.waitFor(() => sim!.privateMessages(world.people.zoe.id, world.bots.client.id).find((m) => m.from.is_bot && m.text?.includes('email')), {
      timeoutMs: UNCERTAIN_SEND_GRACE_MS + 5_000,
      message: 'the answer sent again after the restart',
    })
    expect(Date.now() - restarted).toBeLessThan(UNCERTAIN_SEND_GRACE_MS + 5_000)
  })
})

describe('SIGHUP', () => {
  it('re-reads the agents from the config file in the running process; a bad file is refused and logged', async () => {
    sim = await startSimulator()
    database = await createTestDatabase()
    const world = createSampleWorld(sim)
    const config = sampleConfig(sim, world, database.url, { log: { level: 'info' } })
    createConfig(config)
    service = serviceProcess(config)
    await service.start()
    const db = database.db
    const [project] = await db.select().from(projects).where(eq(projects.key, world.project.key))
    const malloryRow = () =>
      db
        .select()
        .from(staff)
        .where(and(eq(staff.projectId, project!.id), eq(staff.telegramUserId, world.people.mallory.id)))
    expect(await malloryRow()).toEqual([])

    writeFileSync(service.file, JSON.stringify({ ...config, agents: [{ id: world.people.mallory.id, name: 'Mallory', projects: { nowhere: { roles: ['cs'] } } }] }))
    service.signal('SIGHUP')
    await pollUntil(() => Promise.resolve(service!.output().includes('roster reload refused')), { message: 'the refusal logged' })
    expect(service.output()).toContain('unknown project \\"nowhere\\"')

    writeFileSync(service.file, JSON.stringify({ ...config, agents: [{ id: world.people.mallory.id, name: 'Mallory', projects: { [world.project.key]: { roles: ['cr'] } } }] }))
    service.signal('SIGHUP')
    await pollUntil(() => Promise.resolve(service!.output().includes('rosters reloaded')), { message: 'the reload logged' })
    // The roster is mirrored into the staff table on reload.
    expect(await malloryRow()).toMatchObject([{ displayName: 'Mallory', roles: 'cr' }])
    expect(await service.stop()).toBe(0)
  })
})
