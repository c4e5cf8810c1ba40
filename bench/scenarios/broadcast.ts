import type { RateLimitOptions } from '../../src/simulator/index.js'
import type { PhaseResult } from '../phase.js'
import { stageSummary, type ScenarioContext, type ScenarioResult } from '../scenario.js'
import { Stage } from '../stage.js'
import { distribution, sleep } from '../stats.js'

const LIMITS: Required<RateLimitOptions> = { privatePerSecond: 1, privateBurst: 3, groupPerMinute: 20, globalPerSecond: 30 }
/** Onboarded customers the staff replies go to (round robin), each also a recipient of the broadcast. */
const REPLY_CUSTOMERS = 10
/** Staff replies measured per phase, one every REPLY_GAP_MS. */
const REPLIES = 20
const REPLY_GAP_MS = 1000
const BROADCAST_TEXT = 'Bench broadcast: our spring news.'

/**
 * The p99 of staff → client replies on the client bot while a broadcast to `--recipients`
 * customers (default 5,000) runs on the same bot, against the same replies without it. Telegram's
 * limits are on in the simulator (30 messages a second per bot, 1 a second per chat) and the
 * service plans to them; the broadcast is started as a lead does (/broadcast all in the Onboarding
 * topic, Confirm) and is not waited for: the window ends after the replies.
 */
export async function runBroadcast(ctx: ScenarioContext): Promise<ScenarioResult> {
  const recipients = ctx.options.recipients
  const stage = await Stage.open(ctx.server, {
    label: 'broadcast',
    customers: Math.min(ctx.options.customers, REPLY_CUSTOMERS),
    csBots: 1,
    service: { workersPerClass: 2, budgets: false },
    logPath: ctx.logPath('broadcast'),
  })
  try {
    await seedRecipients(stage, recipients)
    stage.sim.setRateLimits(LIMITS)
    await stage.restartService({ workersPerClass: 2, budgets: LIMITS })
    const quiet = await measureReplies(stage, 'quiet')
    const before = stage.sim.stats()
    const startedAt = Date.now()
    await startBroadcast(stage)
    const broadcastSent = () => stage.sim.deliveries().filter((d) => d.text === BROADCAST_TEXT).length
    while (broadcastSent() < LIMITS.globalPerSecond) await sleep(50)
    const during = await measureReplies(stage, 'during')
    const sent = broadcastSent()
    const seconds = (Date.now() - startedAt) / 1000
    const phases: PhaseResult[] = [
      phaseOf('no broadcast', quiet),
      phaseOf(`during a ${recipients}-customer broadcast`, during, { 'broadcast sent': sent, 'broadcast msg/s': sent / seconds }),
    ]
    return {
      scenario: 'broadcast',
      summary: { ...stageSummary(stage), 'broadcast recipients': recipients },
      phases,
      figures: {
        replyP99MsQuiet: distribution(quiet).p99,
        replyP99MsBroadcast: distribution(during).p99,
        broadcastPerSecond: sent / seconds,
        broadcastE429: stage.sim.stats().rateLimited - before.rateLimited,
      },
      notes: [
        `Simulator limits ${JSON.stringify(LIMITS)}; the service's budgets the same. ${REPLIES} staff replies per phase, one every ${REPLY_GAP_MS} ms, round robin over ${REPLY_CUSTOMERS} onboarded customers (each also a recipient).`,
        `${recipients} recipients seeded as customers (not onboarded through the bot); the broadcast is not waited for: "broadcast sent" is what went out during the measured window.`,
      ],
    }
  } finally {
    await stage.close()
  }
}

/** Customers of the client bot, stored as onboarding leaves them, with private chats open. */
async function seedRecipients(stage: Stage, n: number): Promise<void> {
  const { sim, world, database } = stage
  const [project] = (await database.query('SELECT id FROM projects WHERE `key` = ?', [world.project.key])) as Array<{ id: number }>
  const rows = Array.from({ length: n }, (_, i) => {
    const user = sim.createUser({ firstName: `Reader${i}` })
    sim.openPrivateChat(user.id, world.bots.client.id)
    return [project!.id, user.id, world.bots.client.id, 'active', `Reader${i}`]
  })
  await database.insertMany('customers', ['project_id', 'telegram_user_id', 'client_bot_id', 'state', 'first_name'], rows)
}

/** /broadcast all by the lead in the Onboarding topic, then Confirm. */
async function startBroadcast(stage: Stage): Promise<void> {
  const { sim, world } = stage
  const cs = world.groups.cs.id
  const onboarding = await sim.waitFor(() => sim.topics(cs).find((t) => t.name === 'Onboarding'), { message: 'the Onboarding topic' })
  const source = sim.sendGroup(world.lead.id, cs, { text: BROADCAST_TEXT }, { threadId: onboarding.message_thread_id })
  const command = sim.sendGroup(world.lead.id, cs, { text: '/broadcast all' }, { threadId: onboarding.message_thread_id, replyTo: source.message_id })
  const confirmation = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.reply_to_message_id === command.message_id && m.reply_markup), {
    message: 'the confirmation',
    timeoutMs: 60_000,
  })
  const go = confirmation.reply_markup!.inline_keyboard.flat().find((b) => b.text.startsWith('✅')) as { callback_data: string }
  await sim.pressButton(world.lead.id, cs, confirmation.message_id, go.callback_data)
}

/** Staff replies in the customers' CR topics; each one's time until it is in the client's chat. */
async function measureReplies(stage: Stage, label: string): Promise<number[]> {
  const { sim, world } = stage
  const agentId = world.project.staff[1]!.id
  const latencies: number[] = []
  for (let i = 0; i < REPLIES; i++) {
    const target = stage.onboarded[i % stage.onboarded.length]!
    const cr = target.topics[1]!
    const text = `${label} reply ${i}`
    const started = performance.now()
    sim.sendGroup(agentId, cr.chatId, { text }, { threadId: cr.threadId })
    await sim.waitFor(() => sim.privateMessages(target.customer.user.id, world.bots.client.id).find((m) => m.text?.includes(text)), { message: text, timeoutMs: 60_000 })
    latencies.push(performance.now() - started)
    await sleep(REPLY_GAP_MS)
  }
  return latencies
}

function phaseOf(name: string, latencies: number[], extra: Record<string, number | undefined> = {}): PhaseResult {
  const d = distribution(latencies)
  return { name, metrics: { replies: latencies.length, 'reply p50 ms': d.p50, 'reply p99 ms': d.p99, 'reply max ms': d.max, ...extra }, detail: { latencies } }
}
