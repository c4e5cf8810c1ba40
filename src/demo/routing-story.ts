import type { Database } from '../db/client.js'
import { setPresence } from '../domain/presence.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import type { Simulator } from '../simulator/index.js'
import type { SampleWorld } from './sample-world.js'
import { buttonData } from './story.js'
import type { Transcript } from './transcript.js'
import { demoStep, demoWaitFor } from './stage.js'

interface Stage {
  sim: Simulator
  world: SampleWorld
  transcript: Transcript
  /** Acme as the running service has it: the story switches its routing rule. */
  project: ProjectRuntime
  db: Database
}

/**
 * The demo's routing steps: Acme routes CR owners online-first with a queue. With nobody online
 * Yuri waits in the queue (`/queue` shows him to the lead); when Dave comes online the queue job
 * gives Yuri to him within seconds, and the CR South topic names Dave with a mention.
 */
export async function playRoutingStory({ sim, world, transcript, project, db }: Stage): Promise<void> {
  const { yuri, alice, carol, dave } = world.people
  const clientBot = world.bots.client.id
  const cs = world.groups.cs.id
  const south = world.groups.south.id
  const waitFor = demoWaitFor(sim)
  const privateText = (text: string) => () =>
    waitFor(() => sim.privateMessages(yuri.id, clientBot).find((m) => m.from.is_bot && m.text?.includes(text)), `"${text}" in Yuri's chat`)
  const yuriTopic = () => sim.topics(south).find((t) => t.name.startsWith('Yuri') && !t.deleted)?.message_thread_id
  const inSouth = (text: string) => () =>
    waitFor(() => {
      const thread = yuriTopic()
      return thread !== undefined && sim.chatMessages(south, { threadId: thread }).find((m) => m.text?.includes(text))
    }, `"${text}" in Yuri's CR South topic`)
  const step = demoStep(transcript)
  const cardOf = () => sim.chatMessages(cs).find((m) => m.reply_markup && m.text?.includes('yuri@example.com') && !m.text.includes('Assigned'))
  const queueListing = () => sim.chatMessages(cs).findLast((m) => m.from.is_bot && m.text?.startsWith('Waiting for an owner'))

  project.config.routing = { rule: 'online_first', whenNobodyOnline: 'queue' }
  // What `/offline` records; both CR agents work for every team in the sample world.
  for (const agent of [carol, dave]) await setPresence(db, agent.id, 'offline', new Date())
  await step(
    '21. Acme routes CR owners online first, with a queue: nobody is online, so Yuri waits for an owner once Alice assigns him to CR South',
    async () => {
      sim.sendPrivate(yuri.id, clientBot, { text: '/start' })
      await privateText('email address')()
      sim.sendPrivate(yuri.id, clientBot, { text: 'yuri@example.com' })
      const card = await waitFor(cardOf, "Yuri's onboarding card")
      await sim.pressButton(alice.id, cs, card.message_id, buttonData(card, 'CR South'))
    },
    privateText('Your team is ready'),
    inSouth('Assigned by Alice'),
  )
  await step(
    '22. Alice asks for the queue: Yuri, with his waiting time and a button per agent of CR South',
    () => sim.sendGroup(alice.id, cs, { text: '/queue' }),
    () => waitFor(() => queueListing()?.text?.includes('Yuri'), 'the queue listing'),
  )
  await step(
    '23. Dave comes online: within seconds Yuri is his, and the CR South topic names him with a mention',
    // What `/online` records.
    () => setPresence(db, dave.id, 'online', new Date()),
    inSouth('👤 Owner: Dave'),
  )
}
