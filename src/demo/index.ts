import { startApp } from '../app.js'
import { playAnswerStory } from './answer-story.js'
import { createConfig } from '../config/index.js'
import { accounts, projects } from '../db/schema/index.js'
import { createLogger } from '../logger.js'
import { startSimulator } from '../simulator/index.js'
import { createDemoDatabase } from './demo-database.js'
import { createSampleWorld, createSecondBrand, sampleConfig } from './sample-world.js'
import { playCrmStory } from './crm-story.js'
import { growthProjectConfig, playGrowthStory } from './growth-story.js'
import { playLinksStory } from './links-story.js'
import { playReportsStory } from './reports-story.js'
import { playRiskStory, riskProjectConfig } from './risk-story.js'
import { playTranslationStory, translationProjectConfig } from './translation-story.js'
import { playRoutingStory } from './routing-story.js'
import { playResolveStory } from './resolve-story.js'
import { playSecondBrandStory } from './second-brand-story.js'
import { playStory } from './story.js'
import { playSuggestStory, suggestProjectConfig } from './suggest-story.js'
import { startFakeOpenAI } from '../simulator/openai/index.js'
import { playReminderStory, runRemindersOnce } from './reminder-story.js'
import { ShiftedClock } from '../domain/clock.js'
import { addSecondSouthAgent, playTransferStory } from './transfer-story.js'
import { Transcript } from './transcript.js'
import { eq } from 'drizzle-orm'
import { projectRow } from '../db/project-scope.js'

/**
 * `npm run demo`: the whole service against the Telegram simulator and a throwaway database,
 * playing a scripted conversation and printing what every person sees.
 */
async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) throw new Error('DATABASE_URL is not set: run the demo with `npm run demo`, which starts a database.')
  const database = await createDemoDatabase(serverUrl)
  const sim = await startSimulator()
  // The assistant's provider: the fake OpenAI-compatible server (as a local Ollama), deterministic answers.
  const openai = await startFakeOpenAI({ flavour: 'ollama' })
  const world = createSampleWorld(sim)
  const beta = createSecondBrand(sim, world)
  const rita = addSecondSouthAgent(sim, world)
  const config = createConfig(
    sampleConfig(sim, world, database.url, {
      log: { level: (process.env.LOG_LEVEL as 'warn') ?? 'warn' },
      projects: [
        { ...world.project, resolve: { askRating: true }, ...growthProjectConfig, ...riskProjectConfig, ...suggestProjectConfig },
        { ...beta.project, ...translationProjectConfig },
      ],
      agents: [rita],
      links: { publicUrl: 'https://go.acme.example' },
      // Suggest mode off until its chapter (suggest-story.ts turns it on for Acme).
      assistant: { baseUrl: openai.url, model: openai.model, timeoutSeconds: 10, maxTokensPerDay: 1_000_000, embedding: { model: openai.embeddingModel! }, mode: 'off' },
    }),
  )
  const clock = new ShiftedClock()
  const app = await startApp(config, createLogger(config.log.level), { clock })
  try {
    for (const brand of [world, beta]) {
      const [project] = await app.db.select().from(projects).where(eq(projects.key, brand.project.key))
      await app.db
        .insert(accounts)
        .values(
          brand.accounts.map((a) =>
            projectRow(accounts, project!.id, { email: a.email, displayName: a.name, externalId: a.accountId, crTeamHint: a.crTeam, treatment: a.treatment }),
          ),
        )
    }
    const names = new Map<number, string>()
    // Beta first: Bob, on both staffs, is one of Acme's people.
    for (const [brand, prefix] of [
      [beta, 'Beta '],
      [world, ''],
    ] as const) {
      for (const [key, bot] of Object.entries(brand.bots)) names.set(bot.id, `🤖 ${prefix}${key === 'client' ? 'client' : key.toUpperCase()} bot`)
      for (const person of Object.values(brand.people)) names.set(person.id, `${prefix}${person.firstName}`)
    }
    names.set(rita.id, rita.name)
    const transcript = new Transcript(sim, names)
    transcript.watchPrivate(world.people.zoe.id, world.bots.client.id)
    transcript.watchPrivate(world.people.yuri.id, world.bots.client.id)
    transcript.watchGroup(world.groups.cs.id, 'CS group')
    transcript.watchGroup(world.groups.north.id, 'CR North')
    transcript.watchGroup(world.groups.south.id, 'CR South')
    transcript.watchGroup(world.groups.treatment.id, 'Treatment')
    transcript.watchPrivate(beta.people.zoe.id, beta.bots.client.id)
    transcript.watchGroup(beta.groups.cs.id, 'Beta CS group')
    transcript.watchGroup(beta.groups.north.id, 'Beta CR North')
    console.log(`topicdesk demo · simulator ${sim.url} · assistant ${openai.url} · database ${new URL(database.url).pathname.slice(1)}`)
    await playStory({ sim, world, transcript, db: app.db })
    await playSecondBrandStory({ sim, world, beta, transcript })
    const acme = app.projects.find((p) => p.config.key === world.project.key)!
    await playRoutingStory({ sim, world, transcript, project: acme, db: app.db })
    await playTransferStory({ sim, world, transcript })
    await playResolveStory({ sim, world, transcript })
    await playReminderStory({ sim, world, transcript, advanceClock: (ms) => clock.advance(ms), runReminders: () => runRemindersOnce(app) })
    await playCrmStory({ sim, world, transcript })
    await playLinksStory({ sim, world, transcript, publicPort: app.publicPort! })
    await playReportsStory({ sim, world, transcript })
    await playGrowthStory({ sim, world, transcript })
    await playRiskStory({ sim, world, transcript })
    await playSuggestStory({ sim, world, transcript, project: acme })
    await playAnswerStory({ sim, world, transcript, project: acme, db: app.db })
    await playTranslationStory({ sim, beta, transcript, openai }, 53)
    const stats = sim.stats()
    console.log(
      `\nDemo finished: ${stats.sent} messages posted by bots, ${Object.values(stats.uploads).reduce((a, b) => a + b, 0)} file uploads, ${stats.rateLimited} rate-limited calls.`,
    )
  } finally {
    await app.stop()
    await openai.close()
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
