import type { SimMessageView } from '../simulator/index.js'
import { buttonData } from './story.js'
import { type AcmeStage, demoWaitFor } from './stage.js'

/**
 * The demo's "resolve with a rating": Alice (a CS lead) resolves Zoe's conversation, the CR
 * topic closes, Zoe rates it 5 with a button, the topics are told and /history shows it.
 */
export async function playResolveStory({ sim, world, transcript }: AcmeStage): Promise<void> {
  const { zoe, alice } = world.people
  const clientBot = world.bots.client.id
  const cs = world.groups.cs.id
  const south = world.groups.south.id
  const zoeTopic = (chatId: number) => sim.topics(chatId).find((t) => t.name.startsWith('Zoe') && !t.deleted)
  const csTopic = zoeTopic(cs)!.message_thread_id
  const waitFor = demoWaitFor(sim)
  const botText = (chatId: number, threadId: number, text: string) => () =>
    waitFor(() => sim.chatMessages(chatId, { threadId }).find((m) => m.from.is_bot && m.text?.includes(text)), `"${text}" in ${chatId}`)
  const ratingPrompt = () => sim.privateMessages(zoe.id, clientBot).find((m: SimMessageView) => m.from.is_bot && m.reply_markup?.inline_keyboard.flat().some((b) => b.text === '5'))

  transcript.step('27. Alice resolves the conversation: every topic is told, the CR topic closes, Zoe is asked for a rating')
  sim.sendGroup(alice.id, cs, { text: '/resolve' }, { threadId: csTopic })
  await botText(cs, csTopic, '✅ Resolved by Alice')()
  await botText(south, zoeTopic(south)!.message_thread_id, '✅ Resolved by Alice')()
  await waitFor(() => zoeTopic(south)?.closed, 'the CR topic closed')
  const prompt = await waitFor(ratingPrompt, 'the rating prompt')
  transcript.flush()

  transcript.step('28. Zoe gives 5; the topics are told, and /history shows the resolution with its rating')
  const answer = await sim.pressButton(zoe.id, clientBot, prompt.message_id, buttonData(prompt, '5'))
  console.log(`  Zoe's screen shows: "${answer?.text}"`)
  await botText(cs, csTopic, 'rated the conversation 5/5')()
  await waitFor(() => !ratingPrompt(), 'the prompt without its buttons')
  sim.sendGroup(alice.id, cs, { text: '/history' }, { threadId: csTopic })
  await botText(cs, csTopic, 'resolved, rated 5/5')()
  transcript.flush()
}
