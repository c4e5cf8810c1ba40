import type { App } from '../app.js'
import { unansweredRemindersJob } from '../cron/unanswered-reminders.js'
import type { Simulator, SimMessageView } from '../simulator/index.js'
import type { SampleWorld } from './sample-world.js'
import type { Transcript } from './transcript.js'
import { demoStep, demoWaitFor } from './stage.js'

interface Stage {
  sim: Simulator
  world: SampleWorld
  transcript: Transcript
  /** Moves the service's clock forward (`ShiftedClock.advance`). */
  advanceClock: (ms: number) => void
  /** One run of the unanswered-reminders job, as cron would do it every minute. */
  runReminders: () => Promise<void>
}

const MINUTE = 60_000

/**
 * The demo's reminder: Zoe (Acme, moved to CR South) writes and nobody answers. The demo moves the
 * service's clock instead of waiting: after 10 minutes the CR topic is reminded, after 30 the
 * CS leads are told in the Onboarding topic.
 */
export async function playReminderStory({ sim, world, transcript, advanceClock, runReminders }: Stage): Promise<void> {
  const { zoe } = world.people
  const waitFor = demoWaitFor(sim)
  const topicOf = (chatId: number, name: string) => sim.topics(chatId).find((t) => t.name.startsWith(name) && !t.deleted)?.message_thread_id
  const textIn = (chatId: number, name: string, text: string) => () =>
    waitFor(() => {
      const thread = topicOf(chatId, name)
      return thread !== undefined && sim.chatMessages(chatId, { threadId: thread }).find((m: SimMessageView) => m.text?.includes(text))
    }, `"${text}" in ${name} of ${chatId}`)
  const later = (minutes: number) => async () => {
    advanceClock(minutes * MINUTE)
    await runReminders()
  }
  const step = demoStep(transcript)
  const question = 'Could someone confirm the date of the refund?'
  await step(
    '29. Zoe asks one more question, and nobody answers',
    () => sim.sendPrivate(zoe.id, world.bots.client.id, { text: question }),
    textIn(world.groups.south.id, 'Zoe', question),
  )
  await step('30. Ten minutes later (the demo moves the service’s clock) the CR bot reminds her CR topic', later(10), textIn(world.groups.south.id, 'Zoe', '⏰'))
  await step('31. Twenty minutes more: the CS leads are told in the Onboarding topic', later(20), textIn(world.groups.cs.id, 'Onboarding', '🚨 Zoe'))
}

/** One run of the app's reminder job, counted in its metrics like a scheduled run. */
export function runRemindersOnce(app: Pick<App, 'cron' | 'deps' | 'projects' | 'metrics'>): Promise<void> {
  return app.cron.runOnce(unansweredRemindersJob(app.deps, app.projects, '* * * * *', (project, stage, n) => app.metrics.reminders(project, stage, n)))
}
