import { writeFileSync } from 'node:fs'
import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import type { ConfigInput } from '../../src/config/schema.js'
import { outbox, projects, staff } from '../../src/db/schema/index.js'
import { createSampleWorld, sampleConfig, type SampleWorld } from '../../src/demo/sample-world.js'
import { createLogger } from '../../src/logger.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { UNCERTAIN_SEND_GRACE_MS } from '../../src/delivery/held-claims.js'
import { pollUntil } from '../support/poll.js'
import { importSampleAccounts } from '../support/harness.js'
import { serviceProcess } from '../support/service-process.js'

// One simulator and database for the file; a service process per drain setting (a process start is the slow part).
let sim: Simulator
let database: TestDatabase
let world: SampleWorld
let config: ConfigInput
let service: ReturnType<typeof serviceProcess> | undefined
let restarted: App | undefined
beforeAll(async () => {
  sim = await startSimulator()
  database = await createTestDatabase()
  world = createSampleWorld(sim)
  config = sampleConfig(sim, world, database.url, { log: { level: 'info' } })
  createConfig(config)
})
afterAll(async () => {
  await service?.kill()
  await restarted?.stop()
  await sim?.close()
  await database?.close()
})

/** The client writes /start; the service's answer is held up by a slow Telegram. */
async function slowAnswerInFlight(client: { id: number }, latencyMs: number) {
  sim.setLatency({ methods: { sendMessage: latencyMs } })
  sim.sendPrivate(client.id, world.bots.client.id, { text: '/start' })
  await pollUntil(async () => (await database.db.select().from(outbox).where(eq(outbox.state, 'sending'))).length > 0, { message: 'a send in flight' })
}

async function startService(drainSeconds: number) {
  service = serviceProcess({ ...config, delivery: { ...config.delivery, drainSeconds } })
  await service.start()
}

const answered = (client: { id: number }) => sim.privateMessages(client.id, world.bots.client.id).find((m) => m.from.is_bot && m.text?.includes('email'))

describe('a service process', () => {
  beforeAll(async () => {
    await startService(10)
    await importSampleAccounts(database, world)
  })

  it('SIGHUP re-reads the agents from the config file in the running process; a bad file is refused and logged', async () => {
    const db = database.db
    const [project] = await db.select().from(projects).where(eq(projects.key, world.project.key))
    const malloryRow = () =>
      db
        .select()
        .from(staff)
        .where(and(eq(staff.projectId, project!.id), eq(staff.telegramUserId, world.people.mallory.id)))
    expect(await malloryRow()).toEqual([])

    writeFileSync(service!.file, JSON.stringify({ ...config, agents: [{ id: world.people.mallory.id, name: 'Mallory', projects: { nowhere: { roles: ['cs'] } } }] }))
    service!.signal('SIGHUP')
    await pollUntil(() => Promise.resolve(service!.output().includes('roster reload refused')), { message: 'the refusal logged' })
    expect(service!.output()).toContain('unknown project \\"nowhere\\"')

    writeFileSync(service!.file, JSON.stringify({ ...config, agents: [{ id: world.people.mallory.id, name: 'Mallory', projects: { [world.project.key]: { roles: ['cr'] } } }] }))
    service!.signal('SIGHUP')
    await pollUntil(() => Promise.resolve(service!.output().includes('rosters reloaded')), { message: 'the reload logged' })
    // The roster is mirrored into the staff table on reload.
    expect(await malloryRow()).toMatchObject([{ displayName: 'Mallory', roles: 'cr' }])
  })

  it('SIGTERM stops taking updates and lets the send in flight finish before exiting 0', async () => {
    const zoe = world.people.zoe
    await slowAnswerInFlight(zoe, 1500)
    const started = Date.now()
    const code = await service!.stop()
    expect(code).toBe(0)
    // The answer was in flight at SIGTERM: it was delivered and recorded, nothing is left mid-send.
    expect(answered(zoe)).toBeDefined()
    expect(
      await database.db
        .select()
        .from(outbox)
        .where(inArray(outbox.state, ['sending', 'pending'])),
    ).toEqual([])
    expect(service!.output()).toContain('outbox drained')
    expect(Date.now() - started).toBeLessThan(10_000)
    service = undefined
  })
})

describe('SIGTERM with a send that outlasts the drain', () => {
  it('bounds the drain: the send is due again after a short grace (not its lease), and goes out on restart', async () => {
    const yuri = world.people.yuri
    await startService(1)
    await slowAnswerInFlight(yuri, 20_000)
    const started = Date.now()
    const code = await service!.stop()
    expect(code).toBe(0)
    expect(Date.now() - started).toBeLessThan(8_000)
    expect(service!.output()).toContain('outbox drain timed out')
    // Its outcome is unknown (at-least-once): the row is no longer claimed, and due again within seconds.
    const waiting = await database.db
      .select()
      .from(outbox)
      .where(inArray(outbox.state, ['sending', 'pending']))
    expect(waiting).toMatchObject([{ state: 'pending' }])
    expect(waiting[0]!.nextAttemptAt.getTime()).toBeLessThan(Date.now() + UNCERTAIN_SEND_GRACE_MS)
    // Restarted (in this process: what is proven is what the next start does with the row), the
    // service sends it well before the 60 s lease would have let it go.
    sim.setLatency(false)
    const restartConfig = createConfig(config)
    restarted = await startApp(restartConfig, createLogger('error'))
    const restartedAt = Date.now()
    await sim.waitFor(() => answered(yuri), { timeoutMs: UNCERTAIN_SEND_GRACE_MS + 5_000, message: 'the answer sent again after the restart' })
    expect(Date.now() - restartedAt).toBeLessThan(UNCERTAIN_SEND_GRACE_MS + 5_000)
  })
})
