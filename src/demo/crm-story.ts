import { type AcmeStage, demoWaitFor } from './stage.js'

/**
 * The demo's tags and canned replies: Alice tags Zoe (the pinned cards show it), saves a canned
 * reply and sends it in Zoe's topic with `/c`, so Zoe gets it signed like a typed answer.
 */
export async function playCrmStory({ sim, world, transcript }: AcmeStage): Promise<void> {
  const { zoe, alice } = world.people
  const cs = world.groups.cs.id
  const csTopic = sim.topics(cs).find((t) => t.name.startsWith('Zoe') && !t.deleted)!.message_thread_id
  const waitFor = demoWaitFor(sim)

  transcript.step('32. Alice tags Zoe #vip in her CS topic: the pinned profile cards show the tag')
  sim.sendGroup(alice.id, cs, { text: '/tag vip' }, { threadId: csTopic })
  await waitFor(() => sim.chatMessages(cs, { threadId: csTopic }).find((m) => m.from.is_bot && m.text === '🏷 Tags: #vip'), 'the answer to /tag')
  await waitFor(() => sim.chatMessages(cs, { threadId: csTopic }).find((m) => m.pinned && m.text?.includes('Tags: #vip')), 'the tag on the CS card')
  transcript.flush()

  transcript.step('33. Alice saves a canned reply and sends it with /c: Zoe gets it signed, like a typed answer')
  sim.sendGroup(alice.id, cs, { text: '/canned add refund Your refund is on its way; it shows on your statement within 5 working days.' })
  await waitFor(() => sim.chatMessages(cs).find((m) => m.from.is_bot && m.text?.includes('Canned reply "refund" saved')), 'the canned reply saved')
  sim.sendGroup(alice.id, cs, { text: '/c refund' }, { threadId: csTopic })
  await waitFor(() => sim.privateMessages(zoe.id, world.bots.client.id).find((m) => m.text?.includes('within 5 working days')), 'the canned reply at Zoe')
  // Mirrored like a typed answer: into her CS topic and her CR topic.
  await waitFor(() => sim.chatMessages(cs, { threadId: csTopic }).find((m) => m.from.is_bot && m.text?.includes('within 5 working days')), 'the canned reply mirrored in CS')
  await waitFor(() => sim.chatMessages(world.groups.south.id).find((m) => m.from.is_bot && m.text?.includes('within 5 working days')), 'the canned reply mirrored in CR South')
  transcript.flush()
}
