import type { Simulator, SimMessageView } from '../simulator/index.js'
import type { SampleWorld } from './sample-world.js'
import { buttonData } from './story.js'
import { type AcmeStage, demoWaitFor } from './stage.js'

/**
 * Rita, a second agent of Acme's CR South for the demo (an agent of the deployment, in the
 * South group), so Zoe has someone to be transferred to: returns her `agents` entry.
 */
export function addSecondSouthAgent(sim: Simulator, world: SampleWorld): { id: number; name: string; projects: Record<string, { roles: ['cr']; teams: string[] }> } {
  const rita = sim.createUser({ firstName: 'Rita', username: 'rita_cr' })
  sim.addMember(world.groups.south.id, rita.id)
  return { id: rita.id, name: 'Rita', projects: { [world.project.key]: { roles: ['cr'], teams: ['south'] } } }
}

/**
 * The demo's presence and transfer: Dave says he is online in a private chat with the CR bot,
 * Alice hands Zoe to an agent of CR South with `/transfer` (the CR topic names the owners, the
 * cards show the new one), then `/who` in the CS group shows each team's agents.
 */
export async function playTransferStory({ sim, world, transcript }: AcmeStage): Promise<void> {
  const { alice, dave } = world.people
  const cs = world.groups.cs.id
  const south = world.groups.south.id
  const waitFor = demoWaitFor(sim)
  const zoeTopic = (chatId: number) => sim.topics(chatId).find((t) => t.name.startsWith('Zoe') && !t.deleted)!.message_thread_id
  const botSays = (chatId: number, match: (m: SimMessageView) => boolean, what: string) => () =>
    waitFor(() => sim.chatMessages(chatId).find((m) => m.from.is_bot && match(m)), what)
  const after = (sent: { message_id: number }) => (m: SimMessageView) => m.reply_to_message_id === sent.message_id

  transcript.watchPrivate(dave.id, world.bots.cr.id)
  transcript.step('24. Dave tells the CR bot, in a private chat, that he is online (one status for every brand he works for)')
  const said = sim.sendPrivate(dave.id, world.bots.cr.id, { text: '/online' })
  await waitFor(() => sim.privateMessages(dave.id, world.bots.cr.id).find((m) => m.from.is_bot && m.message_id > said.message_id), 'presence answer')
  transcript.flush()

  transcript.step('25. Alice types /transfer with a reason in Zoe’s CS topic and picks the agent: both owners are told in the CR topic, the cards show the owner')
  const command = sim.sendGroup(alice.id, cs, { text: '/transfer knows the courier' }, { threadId: zoeTopic(cs) })
  const prompt = await botSays(cs, (m) => after(command)(m) && Boolean(m.reply_markup), 'transfer prompt')()
  const agent = prompt.reply_markup!.inline_keyboard.flat().find((button) => button.text.startsWith('→'))!
  const answer = await sim.pressButton(alice.id, cs, prompt.message_id, buttonData(prompt, agent.text))
  console.log(`  Alice's screen shows: "${answer?.text}"`)
  await botSays(cs, (m) => m.message_id === prompt.message_id && (m.text?.includes('now belongs to') ?? false), 'prompt edited')()
  await botSays(south, (m) => m.thread_id === zoeTopic(south) && (m.text?.includes('(by Alice: knows the courier)') ?? false), 'owner notice')()
  await botSays(south, (m) => m.pinned && (m.text?.includes('Owner: ') ?? false), 'owner on the card')()
  transcript.flush()

  transcript.step('26. Alice asks /who in the CS group: every CR team’s agents, with their status and open customers')
  const who = sim.sendGroup(alice.id, cs, { text: '/who' })
  await botSays(cs, after(who), '/who answer')()
  transcript.flush()
}
