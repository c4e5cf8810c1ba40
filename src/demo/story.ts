import { like } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { messages } from '../db/schema/index.js'
import type { Simulator, SimMessageView } from '../simulator/index.js'
import type { SampleWorld } from './sample-world.js'
import type { Transcript } from './transcript.js'
import { DEMO_PATIENCE, demoStep, demoWaitFor } from './stage.js'

interface Stage {
  sim: Simulator
  world: SampleWorld
  transcript: Transcript
  /** The service's database: a held message shows nowhere yet, so the story waits until it is stored. */
  db: Database
}

/** A slow first run (cold caches, a busy machine) gets time; a real failure still ends the demo. */
/**
 * The scripted conversation of `npm run demo`. Each step waits for every visible outcome it
 * causes, in every chat the transcript prints, so the transcript is the same on every run and
 * later steps only read what is already there.
 */
export async function playStory({ sim, world, transcript, db }: Stage): Promise<void> {
  const { zoe, alice, bob, carol, dave } = world.people
  const clientBot = world.bots.client.id
  const cs = world.groups.cs.id
  const north = world.groups.north.id
  const south = world.groups.south.id
  const waitFor = demoWaitFor(sim)
  const privateChat = () => sim.privateMessages(zoe.id, clientBot, { includeDeleted: true })
  const inPrivate = (predicate: (m: SimMessageView) => boolean, what: string) => () => waitFor(() => privateChat().find((m) => m.from.is_bot && predicate(m)), what)
  const privateText = (text: string) => inPrivate((m) => m.text?.includes(text) ?? false, `"${text}" in Zoe's chat`)
  const zoeTopic = (chatId: number) => sim.topics(chatId).find((t) => t.name.startsWith('Zoe') && !t.deleted)?.message_thread_id
  /** A message in Zoe's topic of a group (or anywhere in the group for the Onboarding card). */
  const inTopic = (chatId: number, predicate: (m: SimMessageView) => boolean, what: string) => () =>
    waitFor(() => {
      const thread = zoeTopic(chatId)
      return thread !== undefined && sim.chatMessages(chatId, { threadId: thread, includeDeleted: true }).find(predicate)
    }, what)
  const textIn = (chatId: number, text: string) => inTopic(chatId, (m) => !m.deleted && (m.text?.includes(text) ?? false), `"${text}" in ${chatId}`)
  const inGroup = (chatId: number, predicate: (m: SimMessageView) => boolean, what: string) => () =>
    waitFor(() => sim.chatMessages(chatId, { includeDeleted: true }).find(predicate), what)
  const step = demoStep(transcript)
  const stored = async (text: string) => {
    const deadline = Date.now() + DEMO_PATIENCE.timeoutMs
    while (
      (
        await db
          .select({ id: messages.id })
          .from(messages)
          .where(like(messages.text, `%${text}%`))
      ).length === 0
    ) {
      if (Date.now() > deadline) throw new Error(`demo: message "${text}" was never stored`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  const sendZoe = (text: string) => () => sim.sendPrivate(zoe.id, clientBot, { text })
  const cardOf = () => sim.chatMessages(cs).find((m) => m.reply_markup && m.text?.includes('zoe@example.com'))

  await step('1. Zoe opens the client bot from an ad link', sendZoe('/start spring_campaign'), privateText('email address'))
  await step('2. She mistypes her email', sendZoe('zoe@example'), privateText("doesn't look like"))
  await step('3. She sends the right one: it is validated and CS gets an onboarding card', sendZoe('Zoe@Example.com'), privateText('will be with you shortly'), () =>
    waitFor(cardOf, 'onboarding card'),
  )
  await step('4. While waiting she asks a question (stored, held until assignment)', sendZoe('Hi! My order #1234 has not arrived yet.'), () => stored('order #1234'))
  const card = cardOf()!
  const northButton = buttonData(card, 'CR North')
  transcript.step('5. Bob (not a lead) presses "CR North"')
  const refused = await sim.pressButton(bob.id, cs, card.message_id, northButton)
  console.log(`  Bob's screen shows an alert: "${refused?.text}"`)
  const topicOpened = (chatId: number) => [
    inTopic(chatId, (m) => m.pinned && (m.text?.startsWith('👤 Zoe') ?? false), `pinned profile card in ${chatId}`),
    textIn(chatId, 'Assigned by Alice'),
    textIn(chatId, 'order #1234'),
  ]
  await step(
    '6. Alice (CS lead) presses "CR North": topics, pinned profile cards, welcome, held message replayed',
    async () => {
      const answer = await sim.pressButton(alice.id, cs, card.message_id, northButton)
      console.log(`  Alice's screen shows: "${answer?.text}"`)
    },
    privateText('Your team is ready'),
    inGroup(cs, (m) => m.message_id === card.message_id && (m.text?.includes('Assigned to CR North by Alice') ?? false), 'card marked assigned'),
    ...topicOpened(cs),
    ...topicOpened(north),
  )
  const csTopic = zoeTopic(cs)!
  const crTopic = zoeTopic(north)!
  const question = sim.chatMessages(cs, { threadId: csTopic }).find((m) => m.text?.includes('order #1234'))!

  await step(
    '7. Alice replies to the question in the CS topic: Zoe sees it attributed, CR sees a mirror',
    () => sim.sendGroup(alice.id, cs, { text: 'Hi Zoe! Let me check with the warehouse.' }, { threadId: csTopic, replyTo: question.message_id }),
    privateText('warehouse'),
    textIn(north, 'Let me check with the warehouse'),
  )
  await step(
    '8. Carol leaves an internal note in the CR topic (never sent to Zoe)',
    () => sim.sendGroup(carol.id, north, { text: '// courier says it is stuck in Utrecht' }, { threadId: crTopic }),
    inTopic(north, (m) => m.text?.startsWith('//') === true && m.reactions.length > 0, 'note reaction'),
  )
  const photoIn = (chatId: number, caption: string) => inTopic(chatId, (m) => m.kind === 'photo' && m.from.is_bot && m.text === caption, `photo "${caption}" in ${chatId}`)
  await step(
    '9. Zoe sends a photo of the parcel slip',
    () => sim.sendPrivate(zoe.id, clientBot, { photo: { bytes: Buffer.from('parcel slip photo') }, caption: 'This is the slip' }),
    photoIn(cs, 'This is the slip'),
    photoIn(north, 'This is the slip'),
  )
  const slip = privateChat().find((m) => m.text === 'This is the slip')!
  await step(
    '10. Zoe corrects her caption: every copy is edited',
    () => sim.editMessage(zoe.id, zoe.id, slip.message_id, { photo: { bytes: Buffer.from('parcel slip photo') }, caption: 'This is the slip (front side)' }),
    photoIn(cs, 'This is the slip (front side)'),
    photoIn(north, 'This is the slip (front side)'),
  )
  await step(
    '11. Carol answers from CR',
    () => sim.sendGroup(carol.id, north, { text: 'Found it: it will be delivered tomorrow before noon.' }, { threadId: crTopic }),
    privateText('tomorrow before noon'),
    textIn(cs, 'tomorrow before noon'),
  )
  const answer = privateChat().find((m) => m.text?.includes('tomorrow before noon'))!
  await step(
    "12. Zoe reacts 👍 to the answer: the reaction appears on Carol's original",
    () => sim.react(zoe.id, zoe.id, answer.message_id, ['👍']),
    inTopic(north, (m) => m.text?.includes('tomorrow before noon') === true && m.reactions.length > 0, 'reaction on original'),
  )
  // Not a step of its own: the mistake is printed with its deletion in step 13.
  const wrong = sim.sendGroup(alice.id, cs, { text: 'Your refund of €500 is approved.' }, { threadId: csTopic })
  await privateText('refund')()
  await textIn(north, 'refund')()
  let command: { message_id: number } | undefined
  const deletedIn = (chatId: number, match: (m: SimMessageView) => boolean, what: string) => inTopic(chatId, (m) => m.deleted && match(m), what)
  const isRefund = (m: SimMessageView) => m.text?.includes('refund') ?? false
  await step(
    '13. Alice posted to the wrong customer and replies /delete: gone everywhere',
    () => {
      command = sim.sendGroup(alice.id, cs, { text: '/delete' }, { threadId: csTopic, replyTo: wrong.message_id })
    },
    inPrivate((m) => isRefund(m) && m.deleted, 'deleted at client'),
    deletedIn(cs, isRefund, 'original deleted'),
    deletedIn(cs, (m) => m.message_id === command!.message_id, 'command deleted'),
    deletedIn(north, isRefund, 'mirror deleted'),
  )
  const albumIn = (chatId: number) => inTopic(chatId, (m) => m.from.is_bot && m.media_group_id !== undefined && m.text === undefined, `album in ${chatId}`)
  await step(
    '14. Zoe sends an album of two photos: it arrives as one album',
    () =>
      sim.sendAlbum(zoe.id, { botId: clientBot }, [{ photo: { bytes: Buffer.from('damage 1') }, caption: 'The box was damaged' }, { photo: { bytes: Buffer.from('damage 2') } }]),
    photoIn(cs, 'The box was damaged'),
    albumIn(cs),
    photoIn(north, 'The box was damaged'),
    albumIn(north),
  )
  await step(
    '15. Zoe blocks the bot; staff are told once; she unblocks it',
    async () => {
      sim.blockBot(zoe.id, clientBot)
      await textIn(cs, 'blocked the bot')()
      await textIn(north, 'blocked the bot')()
      sim.unblockBot(zoe.id, clientBot)
    },
    textIn(cs, 'unblocked the bot'),
    textIn(north, 'unblocked the bot'),
  )
  await step(
    '16. Alice moves Zoe to CR South from the pinned profile card: new topic, history replayed, old topic closed',
    async () => {
      const profile = sim.chatMessages(cs, { threadId: csTopic }).find((m) => JSON.stringify(m.reply_markup ?? {}).includes('Reassign CR'))!
      await sim.pressButton(alice.id, cs, profile.message_id, buttonData(profile, 'Reassign CR'))
      const prompt = await inTopic(cs, (m) => (m.text?.includes('to which CR team?') ?? false) && Boolean(m.reply_markup), 'team prompt')()
      await sim.pressButton(alice.id, cs, prompt.message_id, buttonData(prompt, 'CR South'))
      const when = await inTopic(cs, (m) => m.message_id === prompt.message_id && (m.text?.includes('when?') ?? false), 'when prompt')()
      const answer = await sim.pressButton(alice.id, cs, when.message_id, buttonData(when, 'Now'))
      console.log(`  Alice's screen shows: "${answer?.text}"`)
    },
    textIn(cs, 'is moving to CR South'),
    textIn(cs, 'moved from CR North to CR South'),
    inGroup(north, (m) => m.thread_id === crTopic && (m.text?.includes('Moved to CR South') ?? false), 'moved notice in the old topic'),
    () => waitFor(() => sim.topics(north).find((t) => t.message_thread_id === crTopic && t.closed), 'old topic closed'),
    inTopic(south, (m) => m.pinned && (m.text?.startsWith('👤 Zoe') ?? false), 'pinned profile card in CR South'),
    textIn(south, 'End of history'),
  )
  const southTopic = zoeTopic(south)!
  await step(
    '17. Zoe writes again: it lands in CR South after the history; Dave answers',
    async () => {
      sim.sendPrivate(zoe.id, clientBot, { text: 'Thanks! Any news on the refund for the damaged box?' })
      await textIn(south, 'damaged box?')()
      await textIn(cs, 'damaged box?')()
      sim.sendGroup(dave.id, south, { text: 'Hi Zoe, Dave from CR South here: the refund is on its way.' }, { threadId: southTopic })
    },
    privateText('refund is on its way'),
    textIn(cs, 'refund is on its way'),
  )
}

/** The callback data of a message's button, by (part of) its label. */
export function buttonData(message: SimMessageView, label: string): string {
  const button = message.reply_markup?.inline_keyboard.flat().find((b) => b.text.includes(label)) as { callback_data?: string } | undefined
  if (!button?.callback_data) throw new Error(`No button "${label}" on message ${message.message_id}`)
  return button.callback_data
}
