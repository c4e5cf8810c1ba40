import { startApp } from '../app.js'
import { createConfig } from '../config/index.js'
import { accounts, projects } from '../db/schema/index.js'
import { createLogger } from '../logger.js'
import { startSimulator } from '../simulator/index.js'
import { createDemoDatabase } from './demo-database.js'
import { createSampleWorld, sampleConfig } from './sample-world.js'
import { playStory } from './story.js'
import { Transcript } from './transcript.js'
import { eq } from 'drizzle-orm'

/**
 * `npm run demo`: the whole service against the Telegram simulator and a throwaway database,
 * playing a scripted conversation and printing what every person sees.
 */
async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) throw new Error('DATABASE_URL is not set: run the demo with `npm run demo`, which starts a database.')
  const database = await createDemoDatabase(serverUrl)
  const sim = await startSimulator()
  const world = createSampleWorld(sim)
  const config = createConfig(sampleConfig(sim, world, database.url, { log: { level: (process.env.LOG_LEVEL as 'warn') ?? 'warn' } }))
  const app = await startApp(config, createLogger(config.log.level))
  try {
    const [project] = await app.db.select().from(projects).where(eq(projects.key, world.project.key))
    await app.db
      .insert(accounts)
      .values(world.accounts.map((a) => ({ projectId: project!.id, email: a.email, displayName: a.name, externalId: a.accountId, crTeamHint: a.crTeam, treatment: a.treatment })))
    const names = new Map<number, string>()
    for (const [key, bot] of Object.entries(world.bots))
      names.set(bot.id, `@${bot.username}`.replace(/^@(.*)$/, key === 'client' ? '🤖 client bot' : `🤖 ${key.toUpperCase()} bot`))
    for (const person of Object.values(world.people)) names.set(person.id, person.firstName)
    const transcript = new Transcript(sim, names)
    transcript.watchPrivate(world.people.zoe.id, world.bots.client.id)
    transcript.watchGroup(world.groups.cs.id, 'CS group')
    transcript.watchGroup(world.groups.north.id, 'CR North')
    transcript.watchGroup(world.groups.south.id, 'CR South')
    transcript.watchGroup(world.groups.treatment.id, 'Treatment')
    console.log(`topicdesk demo · simulator ${sim.url} · database ${new URL(database.url).pathname.slice(1)}`)
    await playStory({ sim, world, transcript, db: app.db })
    const stats = sim.stats()
    console.log(
      `\nDemo finished: ${stats.sent} messages posted by bots, ${Object.values(stats.uploads).reduce((a, b) => a + b, 0)} file uploads, ${stats.rateLimited} rate-limited calls.`,
    )
  } finally {
    await app.stop()
    await sim.close()
    await database.drop()
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('Demo failed:', error)
    process.exit(1)
  },
)
