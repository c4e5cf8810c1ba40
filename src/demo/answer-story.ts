import type { Database } from '../db/client.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import { syncKnowledge } from '../domain/knowledge/index.js'
import { buttonData } from './story.js'
import { type AcmeStage, demoWaitFor } from './stage.js'

/** The demo's knowledge base: the retrieval fixture's folder (README "Knowledge base"). */
const DEMO_KNOWLEDGE = 'test/fixtures/kb/acme'

/**
 * The demo's "automatic answer with handover" (answer mode): Acme turns answer mode on, Zoe asks
 * a question the knowledge base answers, the client bot streams its answer as drafts and sends
 * it with "Talk to a person"; her topics show it marked 🤖 with its source. Zoe presses the
 * button: the handover reaches the staff and her owner is pinged; the assistant then stays quiet.
 */
export async function playAnswerStory({ sim, world, transcript, project, db }: AcmeStage & { project: ProjectRuntime; db: Database }): Promise<void> {
  const { zoe } = world.people
  const clientBot = world.bots.client.id
  const cs = world.groups.cs.id
  const waitFor = demoWaitFor(sim)
  const assistant = project.config.assistant
  if (!assistant) return
  await syncKnowledge(db, project.id, DEMO_KNOWLEDGE)
  // Answer mode for this chapter only (a config change and /reload in a real deployment); it answers at once after the staff's earlier replies.
  const saved = { mode: assistant.mode, answer: assistant.answer }
  Object.assign(assistant, { mode: 'answer', answer: { when: 'confident', quietMinutesAfterStaff: 0 } })
  try {
    const csTopic = () => sim.topics(cs).find((t) => t.name.startsWith('Zoe') && !t.deleted)!.message_thread_id
    const inCs = (text: string) => () =>
      waitFor(() => sim.chatMessages(cs, { threadId: csTopic() }).find((m) => m.from.is_bot && m.text?.includes(text)), `"${text}" in the CS topic`)

    transcript.step('51. An automatic answer (answer mode): Zoe asks what the knowledge base answers; the client bot streams its answer, then sends it with "Talk to a person"')
    const draftsBefore = sim.draftsIn(zoe.id, clientBot).length
    sim.sendPrivate(zoe.id, clientBot, { text: 'Do you ship to the United States?' })
    const answer = await waitFor(
      () => sim.privateMessages(zoe.id, clientBot).find((m) => m.from.is_bot && (m.text ?? '').startsWith('We ship to every country')),
      "the answer in Zoe's chat",
    )
    await inCs('📚 Sources:')()
    console.log(`  (streamed to Zoe first as ${sim.draftsIn(zoe.id, clientBot).length - draftsBefore} draft(s) with sendMessageDraft)`)
    transcript.flush()

    transcript.step('52. Zoe presses "Talk to a person": the handover reaches the staff, her owner is pinged, and the assistant stays quiet until the conversation is resolved')
    const handoffsBefore = sim.chatMessages(cs, { threadId: csTopic() }).filter((m) => m.text?.includes('🙋 Talk to a person')).length
    await sim.pressButton(zoe.id, clientBot, answer.message_id, buttonData(answer, 'Talk to a person'))
    await waitFor(
      () => sim.chatMessages(cs, { threadId: csTopic() }).filter((m) => m.text?.includes('🙋 Talk to a person')).length > handoffsBefore,
      'the handover in the CS topic',
    )
    await waitFor(
      () =>
        [cs, world.groups.north.id, world.groups.south.id].some((chat) => sim.chatMessages(chat).some((m) => m.text?.includes("asked for a person after the assistant's answer"))),
      'the handover notice',
    )
    transcript.flush()
  } finally {
    Object.assign(assistant, saved)
  }
}
