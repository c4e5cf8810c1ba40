import type { Simulator, SimMessageView } from '../simulator/index.js'
import type { SampleWorld, SecondBrand } from './sample-world.js'
import { buttonData } from './story.js'
import type { Transcript } from './transcript.js'
import { demoStep, demoWaitFor } from './stage.js'

interface Stage {
  sim: Simulator
  /** The first brand (Acme), whose story ran before. */
  world: SampleWorld
  beta: SecondBrand
  transcript: Transcript
  /** Where the checks of "nothing crossed" are printed. */
  print?: (line: string) => void
}

/**
 * The demo's second brand: Beta runs in the same service and database with its own client bot,
 * groups and staff; Bob works in both brands. Each step waits for what it prints, then the
 * story shows that nothing of Beta reached Acme's client or groups.
 */
export async function playSecondBrandStory({ sim, world, beta, transcript, print = (line) => console.log(line) }: Stage): Promise<void> {
  const client = beta.people.zoe
  const clientBot = beta.bots.client.id
  const cs = beta.groups.cs.id
  const waitFor = demoWaitFor(sim)
  const privateText = (text: string) => () =>
    waitFor(() => sim.privateMessages(client.id, clientBot).find((m) => m.from.is_bot && m.text?.includes(text)), `"${text}" in Beta's client chat`)
  const topicOf = (chatId: number) => sim.topics(chatId).find((t) => t.name.startsWith('Zoe') && !t.deleted)?.message_thread_id
  const textIn = (chatId: number, text: string) => () =>
    waitFor(() => {
      const thread = topicOf(chatId)
      return thread !== undefined && sim.chatMessages(chatId, { threadId: thread }).find((m) => m.text?.includes(text))
    }, `"${text}" in ${chatId}`)
  const step = demoStep(transcript)
  const cardOf = () => sim.chatMessages(cs).find((m) => m.reply_markup && m.text?.includes('zoe@example.com') && !m.text.includes('Assigned'))
  const acmeSeen = () => acmeChats(sim, world).length

  const acmeBefore = acmeSeen()
  await step(
    '18. A second brand, Beta, in the same service: its client starts Beta’s bot and only Beta’s CS group gets the card',
    async () => {
      sim.sendPrivate(client.id, clientBot, { text: '/start' })
      await privateText('email address')()
      sim.sendPrivate(client.id, clientBot, { text: 'zoe@example.com' })
    },
    privateText('will be with you shortly'),
    () => waitFor(cardOf, 'Beta onboarding card'),
  )
  const card = cardOf()!
  await step(
    '19. Beta’s CS lead assigns her to Beta’s CR North',
    () => sim.pressButton(beta.people.alice.id, cs, card.message_id, buttonData(card, 'CR North')),
    privateText('Your team is ready'),
    textIn(cs, 'Assigned by Alice'),
    textIn(beta.groups.north.id, 'Assigned by Alice'),
  )
  await step(
    '20. Bob works for both brands: in Beta’s topic he is signed with Beta’s label, and only Beta’s client gets it',
    () => sim.sendGroup(beta.sharedAgent.id, cs, { text: 'Hello from Beta, how can I help?' }, { threadId: topicOf(cs)! }),
    privateText('how can I help?'),
    textIn(beta.groups.north.id, 'how can I help?'),
  )
  const crossed = acmeSeen() - acmeBefore
  print(`  Acme's client and groups got ${crossed} new message${crossed === 1 ? '' : 's'} from Beta's steps.`)
  if (crossed !== 0) throw new Error('demo: a Beta message reached Acme')
}

/** Every message in Acme's client chat and groups. */
function acmeChats(sim: Simulator, world: SampleWorld): SimMessageView[] {
  const groups = [world.groups.cs, world.groups.north, world.groups.south, world.groups.treatment].flatMap((g) => sim.chatMessages(g.id, { includeDeleted: true }))
  return [...groups, ...sim.privateMessages(world.people.zoe.id, world.bots.client.id, { includeDeleted: true })]
}
