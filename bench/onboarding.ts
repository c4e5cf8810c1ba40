import type { Simulator } from '../src/simulator/index.js'
import type { BenchCustomer, BenchWorld } from './bench-world.js'
import { DeliveryFeed } from './delivery-feed.js'
import { forEachBounded, sleep } from './stats.js'

/** Where one onboarded customer's copies land: their topic in the CS group and in their CR team's group. */
export interface CustomerTopics {
  customer: BenchCustomer
  topics: Array<{ chatId: number; threadId: number }>
}

export interface Onboarding {
  customers: CustomerTopics[]
  /** Steps a client or the lead had to repeat because nothing happened within STEP_TIMEOUT_MS. */
  retries: number
}

const STEP_TIMEOUT_MS = 15_000
const STEP_ATTEMPTS = 4

/**
 * Takes every customer through the real onboarding flow, `concurrency` at a time: /start,
 * email, the card in the CS Onboarding topic, the lead's CR team button, then waits until the
 * customer's topics exist and their welcome arrived.
 */
export async function onboardCustomers(sim: Simulator, world: BenchWorld, concurrency = 50): Promise<Onboarding> {
  const feed = new DeliveryFeed(sim)
  const clientBot = world.bots.client.id
  const cs = world.groups.cs.id
  const onboarded: CustomerTopics[] = []
  let retries = 0
  /** Acts, then waits for the visible outcome; acts again (as a person would) when nothing shows up. */
  const step = async <T>(act: () => unknown, outcome: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const seen = outcome()
      seen.catch(() => undefined) // awaited below; this only keeps an early act() failure from leaving it unhandled
      try {
        await act()
      } catch (error) {
        // Repeating can fail when the first try did work after all (the card lost its buttons).
        if (attempt === 1) throw error
      }
      try {
        return await seen
      } catch (error) {
        if (attempt >= STEP_ATTEMPTS) throw error
        retries++
      }
    }
  }
  await forEachBounded(world.customers, concurrency, async (customer) => {
    const user = customer.user.id
    const inPrivate = (text: string) => () =>
      feed.waitFor(`"${text}" for ${customer.email}`, (d) => d.chatId === user && d.botId === clientBot && (d.text?.includes(text) ?? false), STEP_TIMEOUT_MS)
    await step(() => sim.sendPrivate(user, clientBot, { text: '/start' }), inPrivate('email'))
    const card = await step(
      () => sim.sendPrivate(user, clientBot, { text: customer.email }),
      () => feed.waitFor(`card of ${customer.email}`, (d) => d.chatId === cs && (d.text?.includes(customer.email) ?? false), STEP_TIMEOUT_MS),
    )
    await step(() => sim.pressButton(world.lead.id, cs, card.messageId, assignButton(sim, cs, card.messageId, card.threadId, customer.crTeam)), inPrivate('Your team is ready'))
    const crChat = world.groups[customer.crTeam].id
    onboarded.push({
      customer,
      topics: [
        { chatId: cs, threadId: await topicOf(sim, cs, customer) },
        { chatId: crChat, threadId: await topicOf(sim, crChat, customer) },
      ],
    })
  })
  return { customers: onboarded.sort((a, b) => a.customer.index - b.customer.index), retries }
}

function assignButton(sim: Simulator, cs: number, messageId: number, threadId: number | undefined, team: string): string {
  const card = sim.chatMessages(cs, threadId === undefined ? {} : { threadId }).find((m) => m.message_id === messageId)
  const button = card?.reply_markup?.inline_keyboard.flat().find((b) => 'callback_data' in b && b.callback_data.endsWith(`:cr:${team}`))
  if (!button || !('callback_data' in button)) throw new Error(`card ${messageId} has no button for team ${team}`)
  return button.callback_data
}

async function topicOf(sim: Simulator, chatId: number, customer: BenchCustomer): Promise<number> {
  for (let i = 0; i < 600; i++) {
    const topic = sim.topics(chatId).find((t) => t.name.endsWith(customer.accountId) && !t.deleted)
    if (topic) return topic.message_thread_id
    await sleep(50)
  }
  throw new Error(`no topic for ${customer.accountId} in ${chatId}`)
}
