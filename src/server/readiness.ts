import { sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import type { ReadinessCheck } from './admin-server.js'
import { BotHealth } from '../bots/bot-health.js'

/** How long due rows may wait with nothing sent at all before the outbox counts as stuck. */
const STUCK_AFTER_SECONDS = 120

/** The database answers a query within a few seconds. */
export async function databaseReadiness(db: Database): Promise<ReadinessCheck> {
  try {
    await Promise.race([db.execute(sql`SELECT 1`), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 3 s')), 3000).unref())])
    return { name: 'database', ok: true, detail: 'reachable' }
  } catch (error) {
    return { name: 'database', ok: false, detail: databaseProblem(error) }
  }
}

/** The driver's error code first (ECONNREFUSED, ER_ACCESS_DENIED_ERROR…): drizzle wraps it as the cause of its own error. */
function databaseProblem(error: unknown): string {
  const cause = ((error as { cause?: unknown }).cause ?? error) as { code?: unknown; message?: unknown }
  const message = typeof cause.message === 'string' && cause.message !== '' ? cause.message : String(error)
  return typeof cause.code === 'string' ? `${cause.code}: ${message}` : message
}

/**
 * The outbox is stuck when rows have been due for minutes and nothing was sent meanwhile
 * (a backlog that drains at Telegram's pace is not stuck).
 */
export async function outboxReadiness(db: Database): Promise<ReadinessCheck> {
  try {
    const [rows] = (await db.execute(sql`
      SELECT
        (SELECT TIMESTAMPDIFF(SECOND, MIN(next_attempt_at), UTC_TIMESTAMP(3)) FROM outbox WHERE state = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(3)) AS oldest_due,
        (SELECT TIMESTAMPDIFF(SECOND, MAX(updated_at), UTC_TIMESTAMP(3)) FROM outbox WHERE state = 'sent') AS since_sent`)) as unknown as [
      Array<{ oldest_due: number | null; since_sent: number | null }>,
    ]
    const oldestDue = rows[0]?.oldest_due === null || rows[0]?.oldest_due === undefined ? 0 : Number(rows[0].oldest_due)
    const sinceSent = rows[0]?.since_sent === null || rows[0]?.since_sent === undefined ? Number.POSITIVE_INFINITY : Number(rows[0].since_sent)
    const stuck = oldestDue > STUCK_AFTER_SECONDS && sinceSent > STUCK_AFTER_SECONDS
    return {
      name: 'outbox',
      ok: !stuck,
      detail: stuck ? `rows due for ${oldestDue} s and nothing sent for ${Number.isFinite(sinceSent) ? `${sinceSent} s` : 'ever'}` : `oldest due row waits ${oldestDue} s`,
    }
  } catch (error) {
    return { name: 'outbox', ok: false, detail: (error as Error).message }
  }
}

/**
 * The ingress check with the bots that cannot receive updates named (config path, id, why):
 * a failing bot makes the instance not ready, and the detail says which one to fix.
 */
export function withFailingBots(ingress: ReadinessCheck, health: BotHealth): ReadinessCheck {
  const failing = health.failing()
  if (failing.length === 0) return ingress
  const named = failing.map((bot) => `${BotHealth.label(bot)} failing: ${bot.failure.reason}`).join('; ')
  return { name: ingress.name, ok: false, detail: `${ingress.detail}; ${named}` }
}
