import { type AcmeStage, demoWaitFor } from './stage.js'

/**
 * The demo's diversion link: Alice makes one in the CS group, Zoe opens it (the service stores the
 * click and sends her on to the client bot with a token), starts the bot with that token, and her
 * pinned profile card shows where she came from; `/links` counts it.
 */
export async function playLinksStory({ sim, world, transcript, publicPort }: AcmeStage & { publicPort: number }): Promise<void> {
  const { zoe, alice } = world.people
  const cs = world.groups.cs.id
  const csTopic = sim.topics(cs).find((t) => t.name.startsWith('Zoe') && !t.deleted)!.message_thread_id
  const waitFor = demoWaitFor(sim)

  transcript.step('34. Alice makes a diversion link for the spring ads')
  sim.sendGroup(alice.id, cs, { text: '/link new FB spring' })
  const made = await waitFor(() => sim.chatMessages(cs).find((m) => m.from.is_bot && m.text?.startsWith('🔗 Link "FB spring" created')), 'the link')
  transcript.flush()

  transcript.step('35. Zoe opens the link from an ad and starts the client bot: her pinned CS card shows the source')
  const path = new URL(/https?:\/\/\S+/.exec(made.text ?? '')![0]).pathname
  const click = await fetch(`http://127.0.0.1:${publicPort}${path}?utm_source=fb&utm_campaign=spring`, {
    redirect: 'manual',
    headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' },
  })
  const token = new URL(click.headers.get('location') ?? '').searchParams.get('start')
  if (click.status !== 302 || !token) throw new Error(`demo: the link answered ${click.status}, not a redirect to the client bot`)
  const start = sim.sendPrivate(zoe.id, world.bots.client.id, { text: `/start ${token}` })
  await waitFor(() => sim.privateMessages(zoe.id, world.bots.client.id).find((m) => m.from.is_bot && m.message_id > start.message_id), "the client bot's answer to /start")
  await waitFor(() => sim.chatMessages(world.groups.south.id).find((m) => m.pinned && m.text?.includes('Source: FB spring')), 'the source on the CR card')
  await waitFor(
    () => sim.chatMessages(cs, { threadId: csTopic }).find((m) => m.pinned && m.text?.includes('Source: FB spring · utm_source=fb · utm_campaign=spring')),
    'the source on the CS card',
  )
  transcript.flush()

  transcript.step('36. Alice asks /links: one click, one visitor, one start')
  sim.sendGroup(alice.id, cs, { text: '/links' })
  await waitFor(() => sim.chatMessages(cs).find((m) => m.from.is_bot && m.text?.includes('• FB spring (') && m.text.includes('1 click(s)')), 'the answer to /links')
  transcript.flush()
}
