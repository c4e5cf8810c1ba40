import type { ConfigInput } from '../config/schema.js'
import { type AcmeStage, demoStep, demoWaitFor } from './stage.js'

/** The demo's risk phrases: a card number never leaves for a client; a refund promise asks its author first. */
export const riskProjectConfig = {
  riskPhrases: [
    { name: 'card-number', mode: 'block', patterns: ['/\\b\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{4}\\b/'] },
    { name: 'refund-promise', mode: 'confirm', patterns: ['guaranteed refund'] },
  ],
} satisfies Partial<ConfigInput['projects'][number]>

/**
 * Internal control: Alice pastes a card number into Zoe's CS topic (not relayed, she is told
 * which phrase), then promises a guaranteed refund (held; only she sees Send anyway / Cancel, as
 * an ephemeral message; she sends it and Zoe gets it).
 */
export async function playRiskStory({ sim, world, transcript }: AcmeStage): Promise<void> {
  const { zoe, alice } = world.people
  const cs = world.groups.cs.id
  const csTopic = sim.topics(cs).find((t) => t.name.startsWith('Zoe') && !t.deleted)!.message_thread_id
  const waitFor = demoWaitFor(sim)
  const step = demoStep(transcript)
  const inTopic = (text: string) => sim.sendGroup(alice.id, cs, { text }, { threadId: csTopic })

  let typed = { message_id: 0 }
  await step(
    '46. Alice pastes a card number into Zoe’s CS topic: it is not relayed, and she is told which risk phrase stopped it',
    () => (typed = inTopic('Your card 4111 1111 1111 1111 is on file')),
    () => waitFor(() => sim.chatMessages(cs, { threadId: csTopic }).find((m) => m.from.is_bot && m.reply_to_message_id === typed.message_id), 'the block notice'),
  )

  const promise = 'You will get a guaranteed refund by Friday.'
  let prompt: { ephemeralId: number; text: string; replyMarkup?: { inline_keyboard: Array<Array<{ text: string } & object>> } } | undefined
  await step(
    '47. Alice promises a guaranteed refund: held; only Alice sees Send anyway / Cancel (an ephemeral message)',
    () => inTopic(promise),
    async () => {
      prompt = await waitFor(() => sim.seenBy(alice.id, cs, { threadId: csTopic }).ephemeral.find((m) => m.text.includes('Send it to the client anyway?')), 'the ephemeral prompt')
      const buttons = prompt.replyMarkup?.inline_keyboard.flat().map((b) => b.text) ?? []
      transcript.note(`Alice alone sees: ${prompt.text}  [${buttons.join(' | ')}]`)
    },
  )

  await step(
    '48. Alice presses Send anyway: Zoe gets the message, signed as usual',
    async () => {
      const send = prompt!.replyMarkup!.inline_keyboard.flat().find((b) => b.text === 'Send anyway') as unknown as { callback_data: string }
      await sim.pressEphemeralButton(alice.id, cs, prompt!.ephemeralId, send.callback_data)
    },
    () => waitFor(() => sim.privateMessages(zoe.id, world.bots.client.id).find((m) => m.text?.endsWith(promise)), 'the message at Zoe'),
  )
}
