import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import type { ConfigInput } from '../../src/config/schema.js'
import { updates } from '../../src/db/schema/index.js'
import { createSampleWorld, sampleConfig, type SampleWorld } from '../../src/demo/sample-world.js'
import { createLogger } from '../../src/logger.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { importSampleAccounts } from '../support/harness.js'
import { pollUntil } from '../support/poll.js'
import { serviceProcess } from '../support/service-process.js'

let sim: Simulator
let database: TestDatabase
let world: SampleWorld
let config: ConfigInput
let service: ReturnType<typeof serviceProcess>
let restarted: App | undefined

beforeAll(async () => {
  sim = await startSimulator()
  database = await createTestDatabase()
  world = createSampleWorld(sim)
  const base = sampleConfig(sim, world, database.url, { log: { level: 'info' } })
  // A short lease, so rows the killed process had claimed are retried within the test.
  // A budget of 20 messages/s per group makes the replay take a couple of seconds.
  // Scripted bursts from one client: well past the flood limit, which is not what this tests.
  // Short instance leases: the killed process's bots are taken up by the next start within ~3 s, not 6-8.
  config = {
    ...base,
    delivery: { ...base.delivery, leaseSeconds: 5, budgets: { groupPerMinute: 1200, privatePerSecond: 20, privateBurst: 20 } },
    projects: base.projects.map((project) => ({ ...project, flood: { maxMessages: 1000 } })),
    leases: { heartbeatMs: 500, ttlMs: 2500 },
  }
  createConfig(config)
  service = serviceProcess(config)
  await service.start()
  await importSampleAccounts(database, world)
})
afterAll(async () => {
  await service?.stop()
  await restarted?.stop()
  await sim?.close()
  await database?.close()
})

describe('a service process killed with SIGKILL', () => {
  it('loses no client message: updates stored before their offset is confirmed are handled after restart', async () => {
    const bot = world.bots.client.id
    const zoe = world.people.zoe
    sim.sendPrivate(zoe.id, bot, { text: '/start' })
    await sim.waitFor(() => sim.privateMessages(zoe.id, bot).find((m) => m.text?.includes('email address')))
    sim.sendPrivate(zoe.id, bot, { text: 'zoe@example.com' })
    const card = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.reply_markup && m.text?.includes('zoe@example.com')))
    const button = card.reply_markup!.inline_keyboard.flat().find((b) => b.text.includes('CR North')) as { callback_data: string }
    await sim.pressButton(world.people.alice.id, world.groups.cs.id, card.message_id, button.callback_data)
    const topic = await sim.waitFor(() => sim.topics(world.groups.cs.id).find((t) => t.name.startsWith('Zoe')))
    // Kill only once the topics are recorded (their notices are queued behind the creation): a
    // kill between Telegram creating a topic and the database recording it leaves an orphan
    // topic in Telegram and a second one for the customer (createForumTopic is not idempotent).
    await sim.waitFor(() => sim.chatMessages(world.groups.cs.id, { threadId: topic.message_thread_id }).find((m) => m.text?.includes('Assigned by Alice')))
    await sim.waitFor(() => sim.chatMessages(world.groups.north.id).find((m) => m.text?.includes('Assigned by Alice')))
    const copies = () =>
      sim
        .chatMessages(world.groups.cs.id, { threadId: topic.message_thread_id })
        .map((m) => m.text ?? '')
        .filter((t) => t.startsWith('seq '))

    const total = 40
    for (let i = 0; i < total; i++) {
      sim.sendPrivate(zoe.id, bot, { text: `seq ${i}` })
      if (i === 15) await service.kill()
      if (i === 25) await service.start()
    }
    await sim
      .waitFor(() => copies().length >= total, { message: `all ${total} messages relayed` })
      .catch((error: Error) => {
        throw new Error(`${error.message}; relayed ${copies().length}; service log:\n${service.output().slice(-3000)}`)
      })
    const seen = copies()
    expect(new Set(seen).size).toBe(total)
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => `seq ${i}`))
    // A handling's mark may follow its copy by a few ms (marks share a statement, see HandledMarks).
    const unhandledUpdates = async () => (await database.db.select().from(updates)).filter((u) => u.state !== 'handled')
    await pollUntil(async () => (await unhandledUpdates()).length === 0).catch(() => undefined)
    expect(await unhandledUpdates()).toEqual([])
  })

  it('resumes a history replay killed halfway: nothing lost, order kept, at most the in-flight sends repeated', async () => {
    const bot = world.bots.client.id
    const zoe = world.people.zoe
    const cs = world.groups.cs.id
    const csTopic = sim.topics(cs).find((t) => t.name.startsWith('Zoe'))!
    const south = world.groups.south.id
    // The group budget spreads the replay over a few seconds, so the kill lands in the middle.
    sim.sendGroup(world.people.alice.id, cs, { text: '/reassign south now' }, { threadId: csTopic.message_thread_id })
    const topic = await sim.waitFor(() => sim.topics(south).find((t) => t.name.startsWith('Zoe')))
    await sim.waitFor(() => sim.chatMessages(south, { threadId: topic.message_thread_id }).filter((m) => m.text?.includes('seq ')).length >= 5)
    await service.kill()
    const before = sim.chatMessages(south, { threadId: topic.message_thread_id }).filter((m) => m.text?.includes('seq ')).length
    // The next start in this process (what it does with the half-done replay is what is proven; the kill needed a process).
    restarted = await startApp(createConfig(config), createLogger('error'))
    await sim.waitFor(() => sim.chatMessages(south, { threadId: topic.message_thread_id }).find((m) => m.text?.includes('End of history')))
    const replayed = sim
      .chatMessages(south, { threadId: topic.message_thread_id })
      .map((m) => m.text ?? '')
      .filter((t) => t.includes('seq '))
      .map((t) => t.split('\n')[1])
    const firstSeen = replayed.filter((t, i) => replayed.indexOf(t) === i)
    expect(before).toBeLessThan(40)
    expect(firstSeen).toEqual(Array.from({ length: 40 }, (_, i) => `seq ${i}`))
    expect(replayed.length - firstSeen.length).toBeLessThanOrEqual(2)
    sim.sendPrivate(zoe.id, bot, { text: 'after the move' })
    await sim.waitFor(() => sim.chatMessages(south, { threadId: topic.message_thread_id }).find((m) => m.text === 'after the move'))
  })
})
