/** Starting the ingress of every bot: long polling (with backoff for a failing bot) or one webhook server. */
import type { Bot } from 'grammy'
import type { Config } from './config/index.js'
import type { Database } from './db/client.js'
import type { BotRef, ProjectRuntime } from './domain/project-runtime.js'
import type { Logger } from './logger.js'
import type { ReadinessCheck } from './server/admin-server.js'
import { listen } from './server/router.js'
import { createWebhookServer } from './server/routes/webhook.js'
import { createWebhookIngress, secretForBot, webhookPath } from './server/webhook-server.js'
import type { BotHealth } from './bots/bot-health.js'
import type { BotSpec } from './bots/create-bot.js'
import { syncBotProfiles } from './bots/profile-sync.js'
import type { BotContext } from './bots/shared/context.js'
import { PollingIngress } from './bots/ingress/polling.js'
import { redriveUnhandledOf } from './bots/ingress/redrive.js'
import type { InstanceLeases } from './bots/ingress/instance-leases.js'

export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'message_reaction', 'my_chat_member'] as const

/** A bot's allowed_updates: chat_member only for the listening staff bots of a project that enforces membership (telegram-facts "Updates": opt-in). */
export function allowedUpdatesFor(project: ProjectRuntime, spec: BotSpec): string[] {
  const enforce = project.config.enforceMembership && spec.role !== 'client' && spec.primary
  return enforce ? [...ALLOWED_UPDATES, 'chat_member'] : [...ALLOWED_UPDATES]
}

/** The lease of the instance that redrives the webhook bots' updates left unhandled. */
export const WEBHOOK_REDRIVE_LEASE = 'webhook-redrive'

export interface RunningBot {
  bot: Bot<BotContext>
  project: ProjectRuntime
  self: BotRef
  spec: BotSpec
  /** Where its token sits in the config (`projects[0].bots.cs[1]`), for the operator. */
  path: string
  /** Telegram refused the token at start-up (or could not be reached): the bot starts failing. */
  initError?: unknown
}

/** Backoff of a bot whose polling failed: 1 s, doubling, at most a minute. */
export const POLLING_BACKOFF = { firstMs: 1000, maxMs: 60_000 }

/** How often an instance looks for updates left unhandled (older than `REDRIVE_AGE_MS`) of the bots it polls: one statement for all. */
export const POLLING_REDRIVE_MS = 5000
const REDRIVE_AGE_MS = 30_000

export function startPolling(config: Config, db: Database, logger: Logger, bots: RunningBot[], health: BotHealth, leases: InstanceLeases) {
  const poll = ({ bot, project, self, spec, initError }: RunningBot) => {
    const ingress = new PollingIngress(bot, {
      db,
      leases,
      projectId: project.id,
      botId: self.id,
      allowedUpdates: allowedUpdatesFor(project, spec),
      timeoutSeconds: config.telegram.pollTimeoutSeconds,
      logger,
      health,
      backoff: POLLING_BACKOFF,
      startFailing: initError !== undefined,
      // A bot that started without knowing itself learns its username once Telegram answers.
      onInit: (me) => {
        self.username = me.username
        // Its menus and descriptions were skipped at start-up (errors are logged inside).
        void syncBotProfiles([{ api: bot.api, project, self, primary: spec.primary }], logger)
      },
    })
    ingress.start()
    return ingress
  }
  const pollers = bots.map(poll)
  // Updates a handling left unhandled (a failure, a crash of another instance), of every bot polled here.
  let redriving: Promise<void> | undefined
  const redrive = () => {
    const polled = new Map(pollers.filter((p) => p.state === 'polling').map((p) => [p.botId, p.bot]))
    if (polled.size > 0)
      redriving ??= redriveUnhandledOf(polled, db, logger, REDRIVE_AGE_MS)
        .catch((error: unknown) => logger.warn({ err: error }, 'redrive failed'))
        .finally(() => (redriving = undefined))
  }
  const timer = setInterval(redrive, POLLING_REDRIVE_MS)
  return {
    port: undefined,
    /** Whether this instance polls each bot (the `topicdesk_bot_polling` gauge). */
    polling: (): Array<[number, boolean]> => pollers.map((p) => [p.botId, p.state === 'polling']),
    /** Polls a rebuilt bot (a new token) in place of the old one. */
    async replace(running: RunningBot): Promise<void> {
      const i = pollers.findIndex((p) => p.botId === running.self.id)
      if (i < 0) return
      await pollers[i]!.stop()
      pollers[i] = poll(running)
    },
    /** Ready while each bot is polled here or stands by for the instance that polls it. */
    readiness: (): ReadinessCheck => {
      const off = pollers.filter((p) => p.state !== 'polling' && p.state !== 'standby')
      return {
        name: 'ingress',
        ok: off.length === 0,
        detail: off.length === 0 ? `${pollers.length} bot(s) polled here or by another instance` : `${off.length} bot(s) ${off.map((p) => p.state).join(', ')}`,
      }
    },
    stop: async () => {
      clearInterval(timer)
      await Promise.all(pollers.map((p) => p.stop()))
      await redriving
    },
  }
}

export async function startWebhooks(config: Config, db: Database, logger: Logger, bots: RunningBot[], health: BotHealth, leases: InstanceLeases) {
  const webhook = config.telegram.webhook!
  const ingress = createWebhookIngress({ db, logger, secret: webhook.secret, bots: bots.map(({ bot, project, self }) => ({ bot, botId: self.id, projectId: project.id })) })
  const server = createWebhookServer(ingress, logger)
  // A port in use fails the start-up (an error, not a crash on an unhandled 'error' event).
  const port = await listen(server, webhook.port, webhook.host)
  for (const { bot, project, self, spec, initError } of bots) {
    // A refused token was reported at start-up; it takes a restart with a new token here.
    if (initError !== undefined) continue
    await bot.api
      .setWebhook(`${webhook.publicUrl}${webhookPath(self.id)}`, {
        secret_token: secretForBot(webhook.secret, self.id),
        allowed_updates: allowedUpdatesFor(project, spec) as never,
        max_connections: webhook.maxConnections,
      })
      .catch((error: unknown) => health.failed(self.id, error, 2, undefined, ' Its webhook is not set; fix it and restart.'))
  }
  // Updates stored but left unhandled (a crash right after the 200) are handled here, by the
  // instance holding the `webhook-redrive` lease, for all bots in one statement, only for updates older than 30 s.
  const lease = leases.want(WEBHOOK_REDRIVE_LEASE)
  const all = new Map(bots.map(({ bot, self }) => [self.id, bot]))
  let redriving: Promise<void> | undefined
  const redrive = () => {
    if (lease.held)
      redriving ??= redriveUnhandledOf(all, db, logger, REDRIVE_AGE_MS)
        .catch((error: unknown) => logger.warn({ err: error }, 'webhook redrive failed'))
        .finally(() => (redriving = undefined))
  }
  const timer = setInterval(redrive, 30_000)
  return {
    port,
    replace: undefined,
    polling: (): Array<[number, boolean]> => [],
    // Webhooks were set above, before the service reported itself started.
    readiness: (): ReadinessCheck => ({
      name: 'ingress',
      ok: server.listening,
      detail: server.listening ? `webhooks set for ${bots.length} bot(s)` : 'webhook server not listening',
    }),
    stop: async () => {
      clearInterval(timer)
      await redriving
      await lease.release()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      // Handlings in flight finish (or leave their claims to run out, for another instance).
      if (!(await ingress.handlingsSettled(config.delivery.drainSeconds * 1000)))
        logger.warn('webhook handlings still running at shutdown; their updates are taken up after their lease')
    },
  }
}
