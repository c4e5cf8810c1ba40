import { fileURLToPath } from 'node:url'
import type { ConfigInput } from '../config/schema.js'
import type { SimMessageView } from '../simulator/index.js'
import { type AcmeStage, demoStep, demoWaitFor } from './stage.js'
import { buttonData } from './story.js'

/**
 * What the demo's Acme project answers by itself: one auto-reply, and the sample flows file
 * (`config/flows.example.yaml`, its `/inquiry` flow). Only the demo (and its test) use them, so the
 * end-to-end tests' sample project is unchanged.
 */
export const growthProjectConfig = {
  autoReplies: [{ match: { keywords: ['opening hours'] }, reply: 'We are open Monday to Friday, 9:00 to 18:00 (CET).' }],
  flowsFile: fileURLToPath(new URL('../../config/flows.example.yaml', import.meta.url)),
} satisfies Partial<ConfigInput['projects'][number]>

/**
 * The demo's automatic answers and a broadcast: Zoe asks for the opening hours and the client bot
 * answers (her topics show the exchange marked auto-answered), she presses "Talk to a person"
 * (relayed like her own message), runs the `/inquiry` flow (her answers land on the pinned profile
 * cards), and Alice broadcasts a message from the Onboarding topic to the #vip customers.
 */
export async function playGrowthStory({ sim, world, transcript }: AcmeStage): Promise<void> {
  const { zoe, alice } = world.people
  const clientBot = world.bots.client.id
  const cs = world.groups.cs.id
  const south = world.groups.south.id
  const csTopic = sim.topics(cs).find((t) => t.name.startsWith('Zoe') && !t.deleted)!.message_thread_id
  const waitFor = demoWaitFor(sim)
  const step = demoStep(transcript)
  const zoeChat = () => sim.privateMessages(zoe.id, clientBot)
  const lastId = (messages: SimMessageView[]) => messages.reduce((max, m) => Math.max(max, m.message_id), 0)
  const csNow = () => sim.chatMessages(cs, { threadId: csTopic })
  let seen = { private: 0, cs: 0, south: 0 }
  /** Remembers what is already there, so an outcome is a message posted after the act. */
  const mark = () => (seen = { private: lastId(zoeChat()), cs: lastId(csNow()), south: lastId(sim.chatMessages(south)) })
  /** The client bot's next message to Zoe containing `text`. */
  const botSays = (text: string) => () => waitFor(() => zoeChat().find((m) => m.from.is_bot && m.message_id > seen.private && m.text?.includes(text)), `"${text}" in Zoe's chat`)
  /** A new message of the staff bots in Zoe's CS topic and in CR South (her CR team since step 16). */
  const inTopics = (...texts: string[]) =>
    texts.flatMap((text) => [
      () => waitFor(() => csNow().find((m) => m.from.is_bot && m.message_id > seen.cs && m.text?.includes(text)), `"${text}" in Zoe's CS topic`),
      () => waitFor(() => sim.chatMessages(south).find((m) => m.from.is_bot && m.message_id > seen.south && m.text?.includes(text)), `"${text}" in CR South`),
    ])
  const sendZoe = (text: string) => () => {
    mark()
    sim.sendPrivate(zoe.id, clientBot, { text })
  }

  await step(
    '39. Zoe asks for the opening hours: the client bot answers; her topics show the exchange marked auto-answered, no wait started',
    sendZoe('What are your opening hours?'),
    botSays('We are open Monday to Friday'),
    ...inTopics('🤖 auto-answered', '🤖 We are open'),
  )
  const answer = zoeChat().find((m) => m.from.is_bot && m.text?.includes('We are open Monday to Friday'))!
  await step(
    '40. Zoe presses "Talk to a person": it reaches staff as her own message, and the wait for an answer starts',
    () => {
      mark()
      return sim.pressButton(zoe.id, clientBot, answer.message_id, buttonData(answer, 'Talk to a person'))
    },
    ...inTopics('🙋 Talk to a person'),
  )
  const onCards = (text: string) => [
    () => waitFor(() => sim.chatMessages(cs, { threadId: csTopic }).find((m) => m.pinned && m.text?.includes(text)), 'the answers on the CS card'),
    () => waitFor(() => sim.chatMessages(south).find((m) => m.pinned && m.text?.startsWith('👤 Zoe') && m.text.includes(text)), 'the answers on the CR card'),
  ]
  await step(
    '41. Zoe starts the /inquiry flow (config/flows.example.yaml): the bot asks for the product',
    sendZoe('/inquiry'),
    botSays('Which product'),
    ...inTopics('🤖 auto-answered', '🤖 Which product'),
  )
  await step(
    '42. She names the product: it is on her pinned profile cards; the bot asks for the order number',
    sendZoe('Desk lamp'),
    botSays('What is your order number?'),
    ...inTopics('🤖 auto-answered', '🤖 What is your order number?'),
    ...onCards('Answers: product: Desk lamp'),
  )
  await step(
    '43. She gives it: both answers are on her cards, and the flow hands her to a person (relayed as her message, the wait starts)',
    sendZoe('A-1234'),
    botSays('A person from our team will take it from here'),
    ...inTopics('🤖 auto-answered', '🤖 Thank you!', '🙋 Talk to a person'),
    ...onCards('Answers: order: A-1234 · product: Desk lamp'),
  )

  const onboarding = sim.topics(cs).find((t) => t.name === 'Onboarding')!.message_thread_id
  const news = sim.sendGroup(alice.id, cs, { text: 'Spring news: 20% off every desk lamp this week.' }, { threadId: onboarding })
  let confirmation: SimMessageView | undefined
  await step('44. Alice posts a message in the Onboarding topic and replies /broadcast tag:vip: the bot counts the #vip clients and asks', () => {
    const command = sim.sendGroup(alice.id, cs, { text: '/broadcast tag:vip' }, { threadId: onboarding, replyTo: news.message_id })
    return waitFor(() => (confirmation = sim.chatMessages(cs).find((m) => m.reply_to_message_id === command.message_id && m.reply_markup)), 'the broadcast confirmation')
  })
  await step(
    '45. Alice confirms: Zoe, the one #vip client, gets it from the client bot; the progress line ends with the count sent',
    async () => {
      mark()
      const pressed = await sim.pressButton(alice.id, cs, confirmation!.message_id, buttonData(confirmation!, 'Send to'))
      console.log(`  Alice's screen shows: "${pressed?.text}"`)
    },
    botSays('Spring news: 20% off'),
    () => waitFor(() => sim.chatMessages(cs).find((m) => m.message_id === confirmation!.message_id && m.text?.endsWith('Done.')), 'the final progress line'),
  )
}
