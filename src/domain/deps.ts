import type { Database } from '../db/client.js'
import type { Logger } from '../logger.js'
import type { AccountDirectory } from './accounts/directory.js'
import type { AgentActivity } from './agent-activity.js'
import type { Clock } from './clock.js'
import type { GroupAlarms } from './group-alarm.js'
import type { RosterReload } from './projects/reload-rosters.js'

/** What domain functions need: the database, a logger, the account directory, a wake-up for the outbox workers. */
export interface DomainDeps {
  db: Database
  logger: Logger
  directory: AccountDirectory
  /** Called after a transaction that queued outbox rows has committed. */
  notify(): void
  /** At most one configuration alarm per group per hour, counted per app. */
  alarms: GroupAlarms
  /** "Now" for time-based rules (unanswered reminders, business hours); tests move it. */
  clock: Clock
  /** Agents' recent posts in customer topics (presence), written at most once a minute per agent. */
  activity: AgentActivity
  /** Re-reads the config file and swaps in every project's roster (`/reload`, SIGHUP). */
  reloadRosters(): Promise<RosterReload>
  /** Telegram user ids of the deployment's operators (config `operators`): who may `/reload` from a chat. */
  operators: readonly number[]
  /** Where diversion links point (config `links.publicUrl`); absent: links cannot be made from a chat. */
  publicUrl?: string
  /** Broadcasts set `allow_paid_broadcast` (config `delivery.allowPaidBroadcast`). */
  allowPaidBroadcast?: boolean
}
