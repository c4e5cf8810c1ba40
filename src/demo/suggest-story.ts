import type { ProjectRuntime } from '../domain/project-runtime.js'
import type { Simulator } from '../simulator/index.js'
import type { SampleWorld } from './sample-world.js'
import { demoStep, demoWaitFor } from './stage.js'
import type { Transcript } from './transcript.js'

/** Acme's assistant in the demo: the fake provider, the demo's knowledge folder, suggest mode off until this story. */
export const suggestProjectConfig = { assistant: { knowledge: 'src/demo/kb', mode: 'off' as const } }

interface Stage {
  sim: Simulator
  world: SampleWorld
  transcript: Transcript
  /** Acme as the running service has it: the story turns suggest mode on (as `assistant.mode: suggest` and /reload would). */
  project: ProjectRuntime
}

type Shown = { kind: 'ephemeral'; chatId: number; receiverId: number; ephemeralId: number; data: string } | { kind: 'message'; chatId: number; messageId: number; data: string }

/**
 * Suggest mode: Zoe asks when refunds reach her card; the assistant drafts a reply from the knowledge
 * base with its source, shown to her owner only (or, with nobody owning her, in the CS topic
 * marked 🤖); a person presses Send and Zoe gets it in their name. Nothing is sent without a press.
 */
export async function playSuggestStory({ sim, world, transcript, project }: Stage): Promise<void> {
  const { zoe, alice } = world.people
  const waitFor = demoWaitFor(sim)
  const step = demoStep(transcript)
  const question = 'When do refunds reach my card?'
  project.config.assistant!.mode = 'suggest'
  const groups = [world.groups.cs.id, world.groups.north.id, world.groups.south.id]
  // Whoever owns Zoe by now (Rita, after the transfer chapter): anyone on Acme's roster.
  const people = project.roster.members().map((member) => ({ id: member.id, firstName: member.name }))
  const sendButton = (markup: { inline_keyboard: Array<Array<{ text: string } & object>> } | undefined) =>
    (markup?.inline_keyboard.flat().find((b) => b.text.includes('Send')) as { callback_data?: string } | undefined)?.callback_data
  /** The suggestion, wherever it is shown: an ephemeral message to the owner, or a normal message in the CS topic. */
  const findSuggestion = (): Shown | undefined => {
    for (const chatId of groups) {
      for (const person of people) {
        const seen = sim.seenBy(person.id, chatId).ephemeral.find((m) => m.text.includes('Refunds reach your card') && sendButton(m.replyMarkup))
        if (seen) return { kind: 'ephemeral', chatId, receiverId: person.id, ephemeralId: seen.ephemeralId, data: sendButton(seen.replyMarkup)! }
      }
      const posted = sim.chatMessages(chatId).find((m) => m.text?.includes('Refunds reach your card') && sendButton(m.reply_markup))
      if (posted) return { kind: 'message', chatId, messageId: posted.message_id, data: sendButton(posted.reply_markup)! }
    }
    return undefined
  }

  let shown: Shown | undefined
  await step(
    '49. Suggest mode: Zoe asks when refunds reach her card; the assistant drafts a reply from the knowledge base, with its source, for her owner only',
    () => sim.sendPrivate(zoe.id, world.bots.client.id, { text: question }),
    async () => {
      shown = await waitFor(findSuggestion, 'the suggested reply')
      if (shown.kind === 'ephemeral') {
        const text = sim.seenBy(shown.receiverId, shown.chatId).ephemeral.find((m) => m.ephemeralId === (shown as { ephemeralId: number }).ephemeralId)!.text
        transcript.note(
          `Only ${people.find((p) => p.id === (shown as { receiverId: number }).receiverId)?.firstName ?? 'the owner'} sees: ${text.replace(/\n+/g, ' ⏎ ')}  [Send | Edit | Dismiss]`,
        )
      }
    },
  )

  await step(
    '50. The suggestion is sent with its Send button: Zoe gets it signed by the person who pressed',
    () =>
      shown!.kind === 'ephemeral'
        ? sim.pressEphemeralButton(shown!.receiverId, shown!.chatId, shown!.ephemeralId, shown!.data)
        : sim.pressButton(alice.id, shown!.chatId, shown!.messageId, shown!.data),
    () => waitFor(() => sim.privateMessages(zoe.id, world.bots.client.id).find((m) => m.text?.includes('Refunds reach your card')), 'the reply at Zoe'),
  )
  project.config.assistant!.mode = 'off'
}
