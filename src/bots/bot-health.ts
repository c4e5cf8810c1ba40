import { GrammyError, HttpError } from 'grammy'
import { Gauge, type Registry } from 'prom-client'
import type { BotRef, ProjectRuntime } from '../domain/project-runtime.js'
import type { FailingBot } from '../domain/bot-alarm.js'
import type { Logger } from '../logger.js'

/** One alarm per bot per hour: a bot that flaps must not flood the Onboarding topic. */
const ALARM_INTERVAL_MS = 60 * 60 * 1000

/** A bot as the operator finds it: its project, its config path, its id and username. */
export interface WatchedBot {
  project: ProjectRuntime
  self: BotRef
  /** Where its token sits in the config, e.g. `projects[0].bots.cs[1]`. */
  path: string
}

/** How a failed Telegram call reads to an operator, and whether waiting can cure it. */
export interface BotFailure {
  reason: string
  remedy: string
  /** Retrying cannot help (a refused token, a second poller): failing from the first attempt. */
  fatal: boolean
}

/** Never a token in what is logged or posted: grammY's network errors quote the request URL. */
const withoutToken = (text: string) => text.replace(/\/bot[^/\s]+\//g, '/bot<token>/')

/** Classifies a failure of getMe / getUpdates / setWebhook by its Bot API code (telegram-facts "fatal"). */
export function describeBotFailure(error: unknown): BotFailure {
  if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404))
    return {
      reason: `Telegram refused its token (${error.error_code} ${error.description})`,
      remedy: 'check the token with @BotFather, or run npm run doctor; put the right token in the config and reload (SIGHUP)',
      fatal: true,
    }
  if (error instanceof GrammyError && error.error_code === 409)
    return {
      reason: `another process receives its updates (409 ${error.description})`,
      remedy: 'make sure only this service uses the token (no other instance outside this database, no webhook set elsewhere)',
      fatal: true,
    }
  if (error instanceof GrammyError) return { reason: `Telegram answered ${error.error_code} ${error.description}`, remedy: 'wait; if it lasts, run npm run doctor', fatal: false }
  const cause = error instanceof HttpError ? (error.error as { code?: string; message?: string }) : (error as { code?: string; message?: string })
  const what = cause?.code ?? cause?.message ?? String(error)
  return { reason: `Telegram could not be reached (${withoutToken(String(what))})`, remedy: 'check the network and telegram.apiRoot', fatal: false }
}

interface Entry {
  bot: WatchedBot
  failing?: BotFailure
  lastAlarmAt?: number
}

/**
 * Which bots cannot receive updates, for the metric `topicdesk_bot_failing` (every bot present,
 * 0 or 1), `/readyz`, the log and one alarm per bot in its project's Onboarding topic.
 */
export class BotHealth {
  private readonly entries = new Map<number, Entry>()
  private alarm?: (bot: WatchedBot, failure: FailingBot) => Promise<boolean>
  /** The latest alarm's queueing (tests wait for it). */
  lastAlarm: Promise<void> = Promise.resolve()

  constructor(
    private readonly logger: Logger,
    registry: Registry,
  ) {
    const entries = this.entries
    new Gauge({
      name: 'topicdesk_bot_failing',
      help: 'Bots that cannot receive updates (1) or can (0), by project, role and bot id',
      labelNames: ['project', 'role', 'bot'],
      registers: [registry],
      collect() {
        this.reset()
        for (const { bot, failing } of entries.values()) this.set({ project: bot.project.config.key, role: bot.self.role, bot: String(bot.self.id) }, failing ? 1 : 0)
      },
    })
  }

  watch(bot: WatchedBot): void {
    if (!this.entries.has(bot.self.id)) this.entries.set(bot.self.id, { bot })
  }

  /** How alarms are posted (set once the domain is wired; failures before wait for the next one). */
  alarmWith(alarm: (bot: WatchedBot, failure: FailingBot) => Promise<boolean>): void {
    this.alarm = alarm
  }

  isFailing(botId: number): boolean {
    return this.entries.get(botId)?.failing !== undefined
  }

  failing(): Array<WatchedBot & { failure: BotFailure }> {
    return [...this.entries.values()].flatMap((e) => (e.failing ? [{ ...e.bot, failure: e.failing }] : []))
  }

  /** How the bot is named in the log, the alarm and `/readyz`. */
  static label(bot: WatchedBot): string {
    return `${bot.path} (bot ${bot.self.id}${bot.self.username ? `, @${bot.self.username}` : ''})`
  }

  /**
   * A failed attempt to receive updates (`attempt` counts from 1 since the bot last worked): the
   * bot counts as failing at once for a fatal error, from the second attempt for one that waiting
   * may cure (a network blip is no alarm). Logs what to do; the first failing attempt alarms.
   * `retryInMs` undefined: not retried (webhook mode takes a restart).
   */
  failed(botId: number, error: unknown, attempt: number, retryInMs: number | undefined, note = ''): void {
    const entry = this.entries.get(botId)
    if (!entry) return
    const failure = describeBotFailure(error)
    const log = { project: entry.bot.project.config.key, botId, role: entry.bot.self.role, attempt, code: error instanceof GrammyError ? error.error_code : undefined }
    const retry = retryInMs === undefined ? 'not retried' : `retrying in ${Math.round(retryInMs / 1000)} s`
    if (!failure.fatal && attempt < 2) {
      this.logger.warn(log, `${BotHealth.label(entry.bot)}: ${failure.reason}; ${retry}`)
      return
    }
    const first = entry.failing === undefined
    entry.failing = failure
    if (!first) {
      this.logger.warn(log, `${BotHealth.label(entry.bot)} still failing: ${failure.reason}; ${retry}`)
      return
    }
    this.logger.error(log, `${BotHealth.label(entry.bot)}: ${failure.reason}; ${failure.remedy}.${note} The other bots keep running; ${retry}.`)
    this.raiseAlarm(entry, failure)
  }

  /** The bot received updates again. */
  recovered(botId: number): void {
    const entry = this.entries.get(botId)
    if (!entry?.failing) return
    entry.failing = undefined
    this.logger.info({ project: entry.bot.project.config.key, botId, role: entry.bot.self.role }, `${BotHealth.label(entry.bot)} receives updates again`)
  }

  private raiseAlarm(entry: Entry, failure: BotFailure, now = Date.now()): void {
    if (!this.alarm || (entry.lastAlarmAt !== undefined && now - entry.lastAlarmAt < ALARM_INTERVAL_MS)) return
    entry.lastAlarmAt = now
    const { bot } = entry
    const log = { project: bot.project.config.key, botId: bot.self.id }
    this.lastAlarm = this.alarm(bot, { self: bot.self, path: bot.path, reason: failure.reason, remedy: failure.remedy }).then(
      (posted) => {
        if (!posted) this.logger.warn(log, 'no working bot of the project can post the bot alarm; the log and topicdesk_bot_failing are the alarm')
      },
      (error: unknown) => this.logger.error({ ...log, err: error }, 'could not queue the bot alarm'),
    )
  }
}
