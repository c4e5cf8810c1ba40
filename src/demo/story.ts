import type { Simulator, SimMessageView } from '../simulator/index.js'
import type { SampleWorld } from './sample-world.js'
import type { Transcript } from './transcript.js'

interface Stage {
  sim: Simulator
  world: SampleWorld
  transcript: Transcript
}

/** The scripted conversation of `npm run demo`; each step waits for its visible outcome. */
export async function playStory({ sim, world, transcript }: Stage): Promise<void> {
  const { zoe, alice, bob, carol } = world.people
  const clientBot = world.bots.client.id
  const cs = world.groups.cs.id
  const north = world.groups.north.id
  const privateChat = () => sim.privateMessages(zoe.id, clientBot)
  const findPrivate = (text: string) => sim.waitFor(() => privateChat().find((m) => m.from.is_bot && m.text?.includes(text)), { message: text })
  const findIn = (chatId: number, predicate: (m: SimMessageView) => boolean, what: string) =>
    sim.waitFor(() => sim.chatMessages(chatId, { includeDeleted: true }).find(predicate), { message: what })
  const step = async (title: string, act: () => unknown, settled: () => Promise<unknown>) => {
    transcript.step(title)
    await act()
    await settled()
    transcript.flush()
  }

  await step('1. Zoe opens the client bot from an ad link', () => sim.sendPrivate(zoe.id, clientBot, { text: '/start spring_campaign' }), () => findPrivate('email address'))
  await step('2. She mistypes her email', () => sim.sendPrivate(zoe.id, clientBot, { text: 'zoe@example' }), () => findPrivate("doesn't look like"))
  await step('3. She sends the right one: it is validated and CS gets an onboarding card', () => sim.sendPrivate(zoe.id, clientBot, { text: 'Zoe@Example.com' }), () =>
    findIn(cs, (m) => Boolean(m.reply_markup && m.text?.includes('zoe@example.com')), 'card'),
  )
  await step('4. While waiting she asks a question (stored, held until assignment)', () => sim.sendPrivate(zoe.id, clientBot, { text: 'Hi! My order #1234 has not arrived yet.' }), async () => {
    await new Promise((resolve) => setTimeout(resolve, 200))
  })
  const card = sim.chatMessages(cs).find((m) => m.reply_markup && m.text?.includes('zoe@example.com'))!
  const northButton = buttonData(card, 'CR North')
  transcript.step('5. Bob (not a lead) presses "CR North"')
  const refused = await sim.pressButton(bob.id, cs, card.message_id, northButton)
  console.log(`  Bob's screen shows an alert: "${refused?.text}"`)
  await step('6. Alice (CS lead) presses "CR North": topics, pinned profile cards, welcome, held message replayed', async () => {
    const answer = await sim.pressButton(alice.id, cs, card.message_id, northButton)
    console.log(`  Alice's screen shows: "${answer?.text}"`)
  }, () => findIn(north, (m) => m.text?.includes('order #1234') ?? false, 'replayed question in CR'))
  const csTopic = sim.topics(cs).find((t) => t.name.startsWith('Zoe'))!.message_thread_id
  const crTopic = sim.topics(north).find((t) => t.name.startsWith('Zoe'))!.message_thread_id
  const question = sim.chatMessages(cs, { threadId: csTopic }).find((m) => m.text?.includes('order #1234'))!

  await step('7. Alice replies to the question in the CS topic: Zoe sees it attributed, CR sees a mirror', () =>
    sim.sendGroup(alice.id, cs, { text: 'Hi Zoe! Let me check with the warehouse.' }, { threadId: csTopic, replyTo: question.message_id }),
  () => findPrivate('warehouse'))
  await step('8. Carol leaves an internal note in the CR topic (never sent to Zoe)', () => sim.sendGroup(carol.id, north, { text: '// courier says it is stuck in Utrecht' }, { threadId: crTopic }), () =>
    findIn(north, (m) => m.text?.startsWith('//') === true && m.reactions.length > 0, 'note reaction'),
  )
  await step('9. Zoe sends a photo of the parcel slip', () => sim.sendPrivate(zoe.id, clientBot, { photo: { bytes: Buffer.from('parcel slip photo') }, caption: 'This is the slip' }), () =>
    findIn(north, (m) => m.kind === 'photo' && m.text === 'This is the slip', 'photo in CR'),
  )
  const slip = privateChat().find((m) => m.text === 'This is the slip')!
  await step('10. Zoe corrects her caption: every copy is edited', () => sim.editMessage(zoe.id, zoe.id, slip.message_id, { photo: { bytes: Buffer.from('parcel slip photo') }, caption: 'This is the slip (front side)' }), () =>
    findIn(cs, (m) => m.text === 'This is the slip (front side)', 'edited caption'),
  )
  await step('11. Carol answers from CR', () => sim.sendGroup(carol.id, north, { text: 'Found it: it will be delivered tomorrow before noon.' }, { threadId: crTopic }), () => findPrivate('tomorrow before noon'))
  const answer = privateChat().find((m) => m.text?.includes('tomorrow before noon'))!
  await step('12. Zoe reacts 👍 to the answer: the reaction appears on Carol\'s original', () => sim.react(zoe.id, zoe.id, answer.message_id, ['👍']), () =>
    findIn(north, (m) => m.text?.includes('tomorrow before noon') === true && m.reactions.length > 0, 'reaction on original'),
  )
  const wrong = sim.sendGroup(alice.id, cs, { text: 'Your refund of €500 is approved.' }, { threadId: csTopic })
  await findPrivate('refund')
  let command: SimMessageView | undefined
  await step('13. Alice posted to the wrong customer and replies /delete: gone everywhere', () => {
    command = sim.sendGroup(alice.id, cs, { text: '/delete' }, { threadId: csTopic, replyTo: wrong.message_id }) as unknown as SimMessageView
  }, async () => {
    await sim.waitFor(() => sim.privateMessages(zoe.id, clientBot, { includeDeleted: true }).find((m) => m.text?.includes('refund') && m.deleted), { message: 'deleted at client' })
    await findIn(cs, (m) => m.message_id === command!.message_id && m.deleted, 'command deleted')
    await findIn(north, (m) => (m.text?.includes('refund') ?? false) && m.deleted, 'mirror deleted')
  })
  await step('14. Zoe sends an album of two photos: it arrives as one album', () =>
    sim.sendAlbum(zoe.id, { botId: clientBot }, [{ photo: { bytes: Buffer.from('damage 1') }, caption: 'The box was damaged' }, { photo: { bytes: Buffer.from('damage 2') } }]),
  () => sim.waitFor(() => sim.chatMessages(north, { threadId: crTopic }).filter((m) => m.media_group_id).length === 2 || undefined))
  await step('15. Zoe blocks the bot; staff are told once; she unblocks it', async () => {
    sim.blockBot(zoe.id, clientBot)
    await findIn(cs, (m) => m.text?.includes('blocked the bot') ?? false, 'blocked notice')
    sim.unblockBot(zoe.id, clientBot)
  }, () => findIn(cs, (m) => m.text?.includes('unblocked the bot') ?? false, 'unblocked notice'))
  const south = world.groups.south.id
  await step('16. Alice moves Zoe to CR South from the pinned profile card: new topic, history replayed, old topic closed', async () => {
    const profile = sim.chatMessages(cs, { threadId: csTopic }).find((m) => JSON.stringify(m.reply_markup ?? {}).includes('Reassign CR'))!
    await sim.pressButton(alice.id, cs, profile.message_id, buttonData(profile, 'Reassign CR'))
    const prompt = await findIn(cs, (m) => (m.text?.includes('to which CR team?') ?? false) && Boolean(m.reply_markup), 'team prompt')
    await sim.pressButton(alice.id, cs, prompt.message_id, buttonData(prompt, 'CR South'))
    const when = await findIn(cs, (m) => m.message_id === prompt.message_id && (m.text?.includes('when?') ?? false), 'when prompt')
    const answer = await sim.pressButton(alice.id, cs, when.message_id, buttonData(when, 'Now'))
    console.log(`  Alice's screen shows: "${answer?.text}"`)
  }, async () => {
    await findIn(south, (m) => m.text?.includes('End of history') ?? false, 'replay finished')
    await sim.waitFor(() => sim.topics(north).find((t) => t.message_thread_id === crTopic && t.closed), { message: 'old topic closed' })
  })
  const southTopic = sim.topics(south).find((t) => t.name.startsWith('Zoe'))!.message_thread_id
  await step('17. Zoe writes again: it lands in CR South after the history; Dave answers', async () => {
    sim.sendPrivate(zoe.id, clientBot, { text: 'Thanks! Any news on the refund for the damaged box?' })
    await findIn(south, (m) => m.text?.includes('damaged box?') ?? false, 'live message in new topic')
    sim.sendGroup(world.people.dave.id, south, { text: 'Hi Zoe, Dave from CR South here: the refund is on its way.' }, { threadId: southTopic })
  }, () => findPrivate('refund is on its way'))
}

function buttonData(message: SimMessageView, label: string): string {
  const button = message.reply_markup?.inline_keyboard.flat().find((b) => b.text.includes(label)) as { callback_data?: string } | undefined
  if (!button?.callback_data) throw new Error(`No button "${label}" on message ${message.message_id}`)
  return button.callback_data
}
