import { createDatabase } from '../../src/db/client.js'
import { projects, topics } from '../../src/db/schema/index.js'
import { TelegramGateway, type GatewayOptions } from '../../src/delivery/gateway.js'
import { encodeDestination, type Target } from '../../src/delivery/destination.js'
import type { OutboxJob } from '../../src/delivery/jobs.js'
import { enqueue } from '../../src/delivery/outbox.js'
import { RateBudget, type RateBudgetOptions } from '../../src/delivery/rate-budget.js'
import { SendPlanner } from '../../src/delivery/send-planner.js'
import { OutboxWorkers, type DeliveryHooks } from '../../src/delivery/worker.js'
import type { PriorityClass } from '../../src/db/schema/index.js'
import { deliveryRecords } from '../../src/domain/delivery-outcomes.js'
import { createLogger } from '../../src/logger.js'
import { startSimulator, type SimulatorOptions } from '../../src/simulator/index.js'
import { createTestDatabase } from './database.js'

/** The outbox and its workers against the simulator, without the bots: for delivery tests. */
export async function startOutboxHarness(options: { simulator?: SimulatorOptions; pool?: number; gateway?: GatewayOptions } = {}) {
  const sim = await startSimulator(options.simulator)
  const database = await createTestDatabase()
  const gateway = new TelegramGateway(sim.url, options.gateway)
  const bots = Array.from({ length: options.pool ?? 1 }, (_, i) => sim.createBot({ token: `${900 + i}:outbox-bot-${i}`, username: `outbox_${i}_bot` }))
  for (const bot of bots) gateway.register(bot.id, bot.token)
  const staff = sim.createUser({ firstName: 'Staff' })
  const groups = Array.from({ length: 4 }, (_, i) => sim.createForumGroup({ title: `Group ${i}`, members: [staff.id], admins: bots.map((b) => ({ id: b.id })) }))
  const [inserted] = await database.db.insert(projects).values({ key: 'outbox', name: 'Outbox tests' })
  const projectId = Number(inserted.insertId)
  const logger = createLogger(process.env.TOPICDESK_TEST_LOG ?? 'silent')
  const workerSets: OutboxWorkers[] = []
  const closers: Array<() => Promise<void>> = []

  /** A set of outbox workers with its own connection pool, as a second process would have. */
  function startWorkers(o: { budgets?: RateBudgetOptions; hooks?: DeliveryHooks; maxAttempts?: number; leaseSeconds?: number; planner?: SendPlanner } = {}) {
    const handle = createDatabase(database.url, { poolSize: 5, readCommitted: true })
    closers.push(() => handle.close())
    const poolIds = bots.map((b) => b.id)
    const planner = o.planner ?? (o.budgets ? new SendPlanner(handle.db, new RateBudget(o.budgets), () => poolIds) : undefined)
    const workers = new OutboxWorkers(
      // The domain's records of what delivery reports (topics reopened, recreated…), plus the test's own hooks.
      { db: handle.db, gateway, logger, planner, hooks: { ...deliveryRecords(handle.db), ...o.hooks } },
      { workersPerClass: 2, maxAttempts: o.maxAttempts ?? 3, pollIntervalMs: 30, leaseSeconds: o.leaseSeconds },
    )
    workers.start()
    workerSets.push(workers)
    return workers
  }

  async function topic(groupIndex: number, name: string): Promise<{ topicId: number; chatId: number; threadId: number }> {
    const chatId = groups[groupIndex]!.id
    const created = await gateway.api(bots[0]!.id).createForumTopic(chatId, name)
    const [row] = await database.db.insert(topics).values({
      projectId,
      customerId: 1,
      role: 'cs',
      teamKey: 'cs',
      chatId,
      threadId: created.message_thread_id,
      name,
      state: 'open',
      generation: Math.floor(Math.random() * 1e9),
    })
    return { topicId: Number(row.insertId), chatId, threadId: created.message_thread_id }
  }

  async function queue(target: Target, job: OutboxJob, priorityClass: PriorityClass = 'live', botId = bots[0]!.id): Promise<number> {
    const id = await enqueue(database.db, { projectId, class: priorityClass, destination: encodeDestination(target), botId, job })
    for (const workers of workerSets) workers.notify()
    return id
  }

  return {
    sim,
    database,
    gateway,
    bots,
    groups,
    projectId,
    startWorkers,
    topic,
    queue,
    text: (target: Target, text: string, extra: Partial<Extract<OutboxJob, { type: 'text' }>> = {}) => queue(target, { type: 'text', target, text, ...extra }),
    async stop() {
      await Promise.all(workerSets.map((w) => w.stop()))
      for (const close of closers) await close()
      await sim.close()
      await database.close()
    },
  }
}

export type OutboxHarness = Awaited<ReturnType<typeof startOutboxHarness>>
