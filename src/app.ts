import { sequentialize } from '@grammyjs/runner'
import type { Config } from './config/index.js'
import { createDatabase, type Database, type QueryLogger } from './db/client.js'
import { runMigrations } from './db/migrate.js'
import { readMultiRowInsertIds } from './db/insert-ids.js'
import { botIdOfToken, createBot, installFeatures, type BotSpec } from './bots/create-bot.js'
import { mapBounded } from './shared/bounded.js'
import { BotHealth } from './bots/bot-health.js'
import { alarmBotFailing } from './domain/bot-alarm.js'
import { orderKey } from './bots/ingress/order-key.js'
import { POLLING_BACKOFF, startPolling, startWebhooks, type RunningBot } from './app-ingress.js'
import { POLLING_LEASE_PREFIX } from './bots/ingress/polling.js'
import { CRON_LEASE, CronScheduler } from './cron/scheduler.js'
import { InstanceLeases } from './bots/ingress/instance-leases.js'
import { reassignmentsJob, recordsSyncJob } from './cron/reassignments.js'
import { idleTopicsJob } from './cron/idle-topics.js'
import { retentionJob } from './cron/retention.js'
import { unansweredRemindersJob } from './cron/unanswered-reminders.js'
import { queueJob } from './cron/queue.js'
import { riskPromptsJob } from './cron/risk-prompts.js'
import { loadRiskBook } from './domain/risk/phrases.js'
import { broadcastsJob } from './cron/broadcasts.js'
import { TelegramGateway } from './delivery/gateway.js'
import { RateBudget } from './delivery/rate-budget.js'
import { SendPlanner } from './delivery/send-planner.js'
import { Coalescer } from './delivery/coalesce.js'
import { OutboxWorkers } from './delivery/worker.js'
import { Wakeup } from './delivery/wakeup.js'
import { releaseClaimsOf } from './delivery/lost-claims.js'
import { dueWithNewToken } from './delivery/outbox.js'
import { retryTransient } from './db/errors.js'
import { releaseUpdateClaimsOf } from './db/repositories/updates.js'
import { databaseAccountDirectory } from './domain/accounts/directory.js'
import type { DomainDeps } from './domain/deps.js'
import { botTokensOf, STAFF_ROLES, type RoleRegistry } from './domain/roles.js'
import { createDeliveryHooks } from './domain/delivery-outcomes.js'
import { GroupAlarms } from './domain/group-alarm.js'
import { systemClock, type Clock } from './domain/clock.js'
import { AgentActivity } from './domain/agent-activity.js'
import { Roster } from './domain/roster.js'
import { syncProject } from './domain/projects/sync-project.js'
import { reloadRosters, type RosterReload } from './domain/projects/reload-rosters.js'
import { sweepProjects } from './domain/membership-sweep.js'
import { telegramGroupMembers } from './bots/staff/group-members.js'
import { syncBotProfiles, type ProfileSyncReport } from './bots/profile-sync.js'
import { staffGroups, type ProjectRuntime } from './domain/project-runtime.js'
import type { Logger } from './logger.js'
import { warnAboutProblems } from './doctor/run-doctor.js'
import { startHttpServers, type ReadinessCheck } from './server/admin-server.js'
import { Metrics } from './server/metrics.js'
import type { RelayPolicy } from './domain/relay/policies/policy.js'
import { databaseReadiness, outboxReadiness, withFailingBots } from './server/readiness.js'
import type { AssistantJobHandler } from './assistant/jobs/index.js'
import type { AssistantRuntime } from './assistant/runtime.js'
import type { AssistantWorker } from './assistant/worker.js'
import { startAssistant } from './app-assistant.js'
import type { AssistantTrigger } from './domain/assistant/triggers.js'

export interface App {
  db: Database
  /** The start-up sync of command menus and descriptions (runs in the background). */
  profiles: Promise<ProfileSyncReport>
  /** The start-up sync of the projects' knowledge folders (runs in the background). */
  knowledge: Promise<void>
  projects: ProjectRuntime[]
  workers: OutboxWorkers
  /** Background jobs; they run on the instance leading cron (the `cron` lease). */
  cron: CronScheduler
  /** This instance's leases (polling each bot, cron, the webhook redrive). */
  leases: InstanceLeases
  /** The assistant's job worker (idle when no project has an assistant) and its providers. */
  assistant: { worker: AssistantWorker; runtime: AssistantRuntime }
  deps: DomainDeps
  /** The webhook server's address, in webhook mode. */
  webhookPort?: number
  /** The admin server's port (/healthz, /readyz, /metrics), unless `http: false`. */
  adminPort?: number
  /** Where the public surface answers: its own port (`http.public`), else the admin port. */
  publicPort?: number
  metrics: Metrics
  /** Which bots cannot receive updates (`topicdesk_bot_failing`, `/readyz`). */
  botHealth: BotHealth
  /** Re-reads the config file's agents and staff lists (what SIGHUP and `/reload` do). */
  reloadRosters(): Promise<RosterReload>
  stop(): Promise<void>
}

/**
 * The composition root: database → projects → bots → outbox workers → ingress (long polling
 * or webhooks). Used by main.ts, the demo, the benchmark and the end-to-end tests alike.
 */
export interface StartOptions {
  migrate?: boolean
  checks?: boolean
  roles?: RoleRegistry
  /** Sees every statement the service sends (tests: the query guard). */
  queryLogger?: QueryLogger
  /** False: insert relay links one by one even where the server numbers multi-row inserts consecutively (tests the fallback). */
  multiRowInsertIds?: boolean
  /** Reads the config file again, for `/reload` and SIGHUP (absent: nothing to reload from). */
  configSource?: () => Config
  /** The domain's "now" (tests and the demo move a ManualClock; default the system clock). */
  clock?: Clock
  /** Relay policies every project runs after the built-in ones (tests add their own; production adds none). */
  policies?: readonly RelayPolicy[]
  /** Assistant job kinds besides the built-in ones, and assistant triggers every project runs after the built-in ones (tests). */
  assistantJobs?: readonly AssistantJobHandler[]
  assistantTriggers?: readonly AssistantTrigger[]
}

/** Bots asking Telegram something at once during start-up (getMe, then the command menus). */
const STARTUP_CONCURRENCY = 16

export async function startApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<App> {
  if (options.migrate !== false) await runMigrations(config.database.urls)
  // Several URLs: the next node when the current one fails (each pool moves on its own, in the same order).
  const onFailover = (url: string, error: unknown) => logger.warn({ err: error, node: new URL(url).host }, 'database node failed; moved to the next one')
  // The leases' heartbeat on a connection of its own: a busy pool never makes it late (a late one stops polling).
  // When another instance's lease runs out, its outbox claims and its claims on updates are released at once.
  const leaseDb = createDatabase(config.database.urls, { poolSize: 1, queryLogger: options.queryLogger, onFailover })
  const leaseSettings = { ...config.leases, spreadPrefix: config.leases.spreadBots ? POLLING_LEASE_PREFIX : undefined }
  const leases = new InstanceLeases(leaseDb.db, logger, leaseSettings, (instanceIds) =>
    // On the READ COMMITTED pool: the release takes no gap locks in the way of new updates' inserts.
    Promise.all([releaseClaimsOf(delivery.db, instanceIds), releaseUpdateClaimsOf(delivery.db, instanceIds)]),
  )
  // Its claims on updates (handlings in hand) are this instance's.
  const { db, pool, close } = createDatabase(config.database.urls, { poolSize: 20, queryLogger: options.queryLogger, instanceId: leases.instanceId, onFailover })
  // The outbox workers have a pool of their own, READ COMMITTED: their claims take no gap locks; they are this instance's claims.
  const delivery = createDatabase(config.database.urls, { poolSize: 10, queryLogger: options.queryLogger, readCommitted: true, instanceId: leases.instanceId, onFailover })
  const multiRowInsertIds = options.multiRowInsertIds !== false && (await readMultiRowInsertIds(db))
  const gateway = new TelegramGateway(config.telegram.apiRoot)
  const projects: ProjectRuntime[] = []
  const specs: Array<{ spec: BotSpec; project: ProjectRuntime; path: string }> = []
  for (const [projectIndex, projectConfig] of config.projects.entries()) {
    const projectId = await syncProject(db, projectConfig)
    const roles = options.roles ?? STAFF_ROLES
    const runtime: ProjectRuntime = {
      id: projectId,
      config: projectConfig,
      bots: { client: [] },
      roles,
      roster: new Roster(projectConfig.staff),
      albumWindowMs: config.delivery.albumWindowMs,
      multiRowInsertIds,
      policies: options.policies,
      assistantTriggers: options.assistantTriggers,
    }
    for (const { role, tokens } of botTokensOf(projectConfig, roles)) {
      // The client role has one bot; staff roles may have a pool.
      runtime.bots[role] ??= []
      for (const [i, token] of tokens.entries())
        specs.push({ spec: { token, role, primary: i === 0 }, project: runtime, path: `projects[${projectIndex}].bots.${role}${role === 'client' ? '' : `[${i}]`}` })
    }
    projects.push(runtime)
  }
  // getMe of every bot, a few at a time: one after another, 400 bots at Telegram's round trip take half a minute.
  // A refused token does not stop the others: the bot starts failing and is retried.
  const created = await mapBounded(specs, STARTUP_CONCURRENCY, ({ spec }) => createBot(spec, config.telegram.apiRoot, { throttle: config.telegram.throttleDirectCalls }))
  const bots: RunningBot[] = specs.map(({ spec, project, path }, i) => {
    const { bot, self, initError } = created[i]!
    gateway.register(self.id, spec.token)
    project.bots[spec.role]!.push(self)
    return { bot, project, self, spec, path, initError }
  })

  const pools = new Map<number, number[]>()
  for (const project of projects)
    for (const role of project.roles) {
      const ids = (project.bots[role.key] ?? []).map((b) => b.id)
      for (const id of ids) pools.set(id, ids)
    }
  const budgets = config.delivery.budgets
  const metrics = new Metrics(db, {
    groupPerMinute: budgets ? budgets.groupPerMinute : undefined,
    poolSizeOfChat: (chatId) => poolSizeOfChat(projects, chatId),
    projectKeyOf: (id) => projects.find((p) => p.id === id)?.config.key,
    pools: { main: pool, delivery: delivery.pool },
  })
  const health = new BotHealth(logger, metrics.registry)
  for (const { project, self, path } of bots) health.watch({ project, self, path })
  const planner = budgets ? new SendPlanner(db, new RateBudget(budgets), (botId) => pools.get(botId) ?? [botId]) : undefined
  // The domain wakes the outbox workers after each commit; the workers report back through hooks.
  const wakeup = new Wakeup()
  // Made once the domain's dependencies exist (below); woken with the outbox after each commit.
  let wakeAssistant = () => {}
  const source = options.configSource
  // The reload's own reading of the file, so a changed bot token is applied from the same read.
  let lastRead: Config | undefined
  const reload = async (): Promise<RosterReload> => {
    const outcome = source
      ? await reloadRosters(db, projects, () => (lastRead = source()))
      : { ok: false as const, reason: 'this process was started without a config file to read again' }
    if (outcome.ok) logger.info({ projects: outcome.projects }, 'rosters reloaded')
    else logger.warn({ reason: outcome.reason }, 'roster reload refused; the old rosters stay')
    if (outcome.ok && lastRead) await replaceChangedTokens(lastRead)
    // People the new rosters no longer list leave the staff groups (enforceMembership).
    if (outcome.ok) sweepMembers()
    return outcome
  }
  // Kept up to date when a bot is rebuilt with a new token (see replaceChangedTokens).
  const botApis = new Map(bots.map(({ bot, self }) => [self.id, bot.api]))
  const groupMembers = telegramGroupMembers(botApis)
  let sweeps = Promise.resolve()
  const sweepMembers = () => void (sweeps = sweeps.then(() => sweepProjects(deps, projects, groupMembers)))
  const deps: DomainDeps = {
    db,
    logger,
    directory: databaseAccountDirectory(db),
    notify: () => {
      wakeup.notify()
      wakeAssistant()
    },
    reloadRosters: reload,
    operators: config.operators,
    publicUrl: config.links.publicUrl,
    allowPaidBroadcast: config.delivery.allowPaidBroadcast,
    alarms: new GroupAlarms(),
    clock: options.clock ?? systemClock,
    activity: new AgentActivity(),
  }
  health.alarmWith((bot, failure) => alarmBotFailing(deps, bot.project, failure, (botId) => !health.isFailing(botId)))
  for (const { self, initError } of bots)
    if (initError !== undefined) {
      const polling = config.telegram.mode !== 'webhook'
      const note = polling ? ' This project starts degraded, without this bot.' : ' This project starts degraded, without this bot; fix the token and restart.'
      health.failed(self.id, initError, 1, polling ? POLLING_BACKOFF.firstMs : undefined, note)
    }
  const hooks = createDeliveryHooks(deps, projects)
  // Webhook mode has no poller to notice a token revoked while running: its first refused send reports it.
  if (config.telegram.mode === 'webhook')
    hooks.onTokenRefused = (botId, error) => {
      if (!health.isFailing(botId)) health.failed(botId, error, 1, undefined, ' Fix the token and restart.')
    }
  const coalesceAfter = config.delivery.coalesceAfterMinutes
  // Coalescing measures a backlog against the planner's budgets: without budgets, it is off.
  const coalescer =
    coalesceAfter && planner
      ? new Coalescer(delivery.db, { afterMinutes: coalesceAfter, budget: planner.budget, poolOf: (botId) => pools.get(botId) ?? [botId] }, hooks)
      : undefined
  const workers = new OutboxWorkers(
    { db: delivery.db, gateway, logger, planner, observer: metrics, wakeup, hooks, coalescer },
    {
      workersPerClass: config.delivery.workersPerClass,
      maxAttempts: config.delivery.maxAttempts,
      pollIntervalMs: config.delivery.pollIntervalMs,
      leaseSeconds: config.delivery.leaseSeconds,
    },
  )
  const wire = ({ bot, project, self, spec }: RunningBot) => {
    // One customer's updates in order (their private chat, each of their topics); others in parallel.
    bot.use(sequentialize(orderKey))
    bot.use(metrics.handlerTiming(spec.role))
    installFeatures(bot, project, self, spec, deps, logger, (botId, outcome) => metrics.update(botId, outcome))
  }
  for (const running of bots) wire(running)
  workers.start()
  const assistant = await startAssistant({ db, deps, logger, projects, metrics, gateway, extraJobs: options.assistantJobs })
  wakeAssistant = () => assistant.worker.wake()
  // Risk phrases changed with /risk, over the config's starting set (the relay policy reads no database).
  for (const project of projects) await loadRiskBook(db, project)
  const cronLease = leases.want(CRON_LEASE)
  const cron = new CronScheduler(cronLease, logger)
  cron.add(reassignmentsJob(deps, projects, config.cron.reassignments))
  cron.add(recordsSyncJob(deps, projects, config.cron.recordsSync))
  if (projects.some((p) => p.config.topics.idleCloseDays)) cron.add(idleTopicsJob(deps, projects, config.cron.idleTopics))
  if (projects.some((p) => p.config.sla.enabled))
    cron.add(unansweredRemindersJob(deps, projects, config.cron.unansweredReminders, (project, stage, n) => metrics.reminders(project, stage, n)))
  cron.add(retentionJob(db, logger, { schedule: config.cron.retention, days: config.retention.days, messageDays: config.retention.messageDays }))
  cron.add(queueJob(deps, projects, config.cron.queue))
  cron.add(riskPromptsJob(deps, projects, config.cron.riskPrompts))
  cron.add(broadcastsJob(deps, projects, config.cron.broadcasts))

  // Members who left the roster while the service was down are removed now (enforceMembership).
  sweepMembers()
  const ingress = config.telegram.mode === 'webhook' ? await startWebhooks(config, db, logger, bots, health, leases) : startPolling(config, db, logger, bots, health, leases)
  // The first heartbeat takes the leases no other instance holds (the pollers wait for it).
  await leases.start()
  metrics.leadership({ polling: ingress.polling, cronLeader: () => cron.leading })
  /**
   * A bot whose token changed in the config (a revoked one replaced): rebuilt with the new token
   * and polled again. The same bot only (same id); another bot, or pools of another size, need a restart.
   */
  async function replaceChangedTokens(fresh: Config): Promise<void> {
    let replaced = 0
    for (const project of projects) {
      const next = fresh.projects.find((p) => p.key === project.config.key)
      if (!next) continue
      for (const { role, tokens } of botTokensOf(next, project.roles)) {
        const pool = bots.filter((b) => b.project === project && b.spec.role === role)
        for (const [i, token] of tokens.entries()) {
          const old = pool[i]
          if (!old || old.spec.token === token) continue
          if (botIdOfToken(token) !== old.self.id) {
            logger.warn({ project: project.config.key, botId: old.self.id }, `${old.path} now names another bot; a different bot takes a restart`)
            continue
          }
          if (!ingress.replace) {
            logger.warn({ project: project.config.key, botId: old.self.id }, `${old.path} has a new token; in webhook mode it takes a restart`)
            continue
          }
          const spec = { ...old.spec, token }
          const { bot, self, initError } = await createBot(spec, config.telegram.apiRoot, { throttle: config.telegram.throttleDirectCalls })
          // The same BotRef stays in the project's pools; a bot that started refused learns its username here.
          if (self.username) old.self.username = self.username
          const running: RunningBot = { ...old, bot, spec, initError }
          wire(running)
          gateway.register(old.self.id, token)
          botApis.set(old.self.id, bot.api)
          bots[bots.indexOf(old)] = running
          await ingress.replace(running)
          if (initError === undefined) void syncBotProfiles([{ api: bot.api, project, self: old.self, primary: spec.primary }], logger)
          logger.info({ project: project.config.key, botId: old.self.id }, `${old.path}: new token applied`)
          replaced += 1
        }
      }
    }
    // The rows refused with 401 go now, not at the end of their wait.
    if (replaced > 0)
      await retryTransient(() => dueWithNewToken(delivery.db)).then(
        () => deps.notify(),
        (error: unknown) => logger.warn({ err: error }, 'could not make the rows waiting for a new token due; they go at the end of their wait'),
      )
  }
  const admin = config.http
    ? await startHttpServers(config.http, {
        logger,
        metrics,
        api: { db, projects, domain: deps },
        readiness: () => readiness(db, ingress, health),
        trustedProxies: config.links.trustedProxies,
      })
    : undefined
  logger.info({ projects: projects.map((p) => p.config.key), bots: bots.length, mode: config.telegram.mode }, 'topicdesk started')
  const checks = options.checks === false ? Promise.resolve() : warnAboutProblems(config, logger)
  const profiles = syncBotProfiles(
    // A bot whose token was refused has no profile to sync now.
    bots.filter((b) => b.initError === undefined).map(({ bot, project, self, spec }) => ({ api: bot.api, project, self, primary: spec.primary })),
    logger,
    STARTUP_CONCURRENCY,
  )
  return {
    db,
    projects,
    workers,
    cron,
    leases,
    assistant: { worker: assistant.worker, runtime: assistant.runtime },
    deps,
    webhookPort: ingress.port,
    adminPort: admin?.adminPort,
    publicPort: admin?.publicPort,
    metrics,
    botHealth: health,
    profiles,
    knowledge: assistant.knowledge,
    reloadRosters: reload,
    async stop() {
      await checks
      await profiles
      await sweeps
      await assistant.knowledge
      await admin?.stop()
      await cron.stop()
      // Another instance leads cron from its next heartbeat, not after this one's pollers have stopped.
      await cronLease.release()
      // No new updates first (each poller waits for its handlings in flight, bounded), then the sends in flight, bounded.
      await ingress.stop()
      // What this instance still holds (nothing, unless a poller's release failed) is let go for another to take at once.
      await leases.stop()
      // Assistant jobs in flight end within their provider's deadline; a job cut short runs again after its lease.
      await assistant.worker.stop(config.delivery.drainSeconds * 1000)
      const drained = await workers.stop(config.delivery.drainSeconds * 1000)
      if (drained) logger.info('outbox drained: every send in flight finished')
      else logger.warn({ drainSeconds: config.delivery.drainSeconds }, 'outbox drain timed out; sends still in flight go out again after a short grace (they may arrive twice)')
      await delivery.close()
      await leaseDb.close()
      await close()
      logger.info('topicdesk stopped')
    },
  }
}

async function readiness(db: Database, ingress: { readiness(): ReadinessCheck }, health: BotHealth): Promise<ReadinessCheck[]> {
  const [database, outbox] = await Promise.all([databaseReadiness(db), outboxReadiness(db)])
  return [database, withFailingBots(ingress.readiness(), health), outbox]
}

function poolSizeOfChat(projects: ProjectRuntime[], chatId: number): number {
  for (const project of projects) {
    const group = staffGroups(project).find((g) => g.chatId === chatId)
    if (group) return Math.max(1, project.bots[group.role]?.length ?? 0)
  }
  return 1
}
