import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner'
import type { Bot } from 'grammy'
import type { Config } from './config/index.js'
import { createDatabase, type Database } from './db/client.js'
import { runMigrations } from './db/migrate.js'
import { createBot, installFeatures, type BotSpec } from './bots/create-bot.js'
import type { BotContext } from './bots/shared/context.js'
import { TelegramGateway } from './delivery/gateway.js'
import { OutboxWorkers } from './delivery/worker.js'
import { databaseAccountDirectory } from './domain/accounts/directory.js'
import type { DomainDeps } from './domain/deps.js'
import { handlePermanentFailure } from './domain/delivery-failures.js'
import { setAlbumWindow } from './domain/relay/queue-copies.js'
import { syncProject } from './domain/projects/sync-project.js'
import type { BotRef, BotRole, ProjectRuntime } from './domain/project-runtime.js'
import type { Logger } from './logger.js'

export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'message_reaction', 'my_chat_member'] as const

export interface App {
  db: Database
  projects: ProjectRuntime[]
  workers: OutboxWorkers
  stop(): Promise<void>
}

/**
 * The composition root: database → projects → bots → outbox workers → long polling.
 * Used by main.ts, the demo and the end-to-end tests alike.
 */
export async function startApp(config: Config, logger: Logger, options: { migrate?: boolean } = {}): Promise<App> {
  if (options.migrate !== false) await runMigrations(config.database.url)
  const { db, close } = createDatabase(config.database.url)
  const gateway = new TelegramGateway(config.telegram.apiRoot)
  setAlbumWindow(config.delivery.albumWindowMs)
  const projects: ProjectRuntime[] = []
  const bots: Array<{ bot: Bot<BotContext>; project: ProjectRuntime; self: BotRef; spec: BotSpec }> = []
  for (const projectConfig of config.projects) {
    const projectId = await syncProject(db, projectConfig)
    const runtime: ProjectRuntime = { id: projectId, config: projectConfig, bots: { client: [], cs: [], cr: [], treatment: [] } }
    for (const [role, tokens] of Object.entries(projectConfig.bots) as Array<[BotRole, string[] | undefined]>) {
      for (const [i, token] of (tokens ?? []).entries()) {
        const spec = { token, role, primary: i === 0 }
        const { bot, self } = await createBot(spec, config.telegram.apiRoot)
        gateway.register(self.id, token)
        runtime.bots[role].push(self)
        bots.push({ bot, project: runtime, self, spec })
      }
    }
    projects.push(runtime)
  }
  const workers = new OutboxWorkers(
    { db, gateway, logger, hooks: { onPermanentFailure: (job, failure, error) => handlePermanentFailure(deps, projects, job, failure, error) } },
    { workersPerLane: config.delivery.workersPerLane, maxAttempts: config.delivery.maxAttempts, pollIntervalMs: config.delivery.pollIntervalMs },
  )
  const deps: DomainDeps = { db, logger, directory: databaseAccountDirectory(db), notify: () => workers.notify() }
  const runners: RunnerHandle[] = []
  for (const { bot, project, self, spec } of bots) {
    // One customer's (or one topic's) updates in order; different customers in parallel.
    bot.use(sequentialize((ctx) => (ctx.chat ? String(ctx.chat.id) : ctx.from ? String(ctx.from.id) : undefined)))
    installFeatures(bot, project, self, spec, deps, logger)
    runners.push(
      run(bot, {
        runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: config.telegram.pollTimeoutSeconds } },
      }),
    )
  }
  workers.start()
  logger.info({ projects: projects.map((p) => p.config.key), bots: bots.length }, 'topicdesk started')
  return {
    db,
    projects,
    workers,
    async stop() {
      await Promise.all(runners.map((runner) => (runner.isRunning() ? runner.stop() : undefined)))
      await workers.stop()
      await close()
      logger.info('topicdesk stopped')
    },
  }
}
