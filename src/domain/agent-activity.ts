import type { DbOrTx } from '../db/client.js'
import { noteAgentActivity } from './presence.js'

/** At most one activity write per agent and process in this time: presence counts in minutes, finer writes buy nothing. */
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000

/**
 * Recent activity of agents (a post in a customer topic counts as online for
 * `presence.activeMinutes`), written outside the relay's transaction and at most once a minute
 * per agent by each process: a busy agent costs one upsert a minute, not one per message.
 * Another process may write in between; the upsert keeps the newest time.
 */
export class AgentActivity {
  private readonly written = new Map<number, number>()

  /** Records that the agent posted at `now`, unless this process did so less than a minute ago. True when it wrote. */
  async note(db: DbOrTx, userId: number, now: Date): Promise<boolean> {
    const last = this.written.get(userId)
    const elapsed = last === undefined ? Infinity : now.getTime() - last
    if (elapsed >= 0 && elapsed < ACTIVITY_WRITE_INTERVAL_MS) return false
    await noteAgentActivity(db, userId, now)
    this.written.set(userId, now.getTime())
    return true
  }
}
