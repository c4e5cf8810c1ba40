import { type AcmeStage, demoStep, demoWaitFor } from './stage.js'

/**
 * The demo's numbers: Alice asks `/stats` for the week (new customers by the link that brought
 * them, messages, response times, CSAT) and `/audit` for what was changed and by whom.
 */
export async function playReportsStory({ sim, world, transcript }: AcmeStage): Promise<void> {
  const { alice } = world.people
  const cs = world.groups.cs.id
  const waitFor = demoWaitFor(sim)
  const step = demoStep(transcript)
  const answerTo = (command: { message_id: number }, starts: string) => () =>
    waitFor(() => sim.chatMessages(cs).find((m) => m.from.is_bot && m.message_id > command.message_id && m.text?.startsWith(starts)), `the answer to ${starts}`)

  let asked = { message_id: 0 }
  await step(
    '37. Alice asks /stats: the week in numbers, new customers by the link that brought them',
    () => (asked = sim.sendGroup(alice.id, cs, { text: '/stats' })),
    () => answerTo(asked, '📊 Stats')(),
  )
  await step(
    '38. Alice asks /audit: the week’s assignments, transfers, deletes and bans, by kind and by agent',
    () => (asked = sim.sendGroup(alice.id, cs, { text: '/audit' })),
    () => answerTo(asked, '')(),
  )
}
