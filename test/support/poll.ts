import { count, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../../src/db/client.js'
import { outbox, updates } from '../../src/db/schema/index.js'

/** How long a wait lasts at most by default: a hang guard, long enough for a loaded machine. */
export const PATIENT_MS = 60_000

/** The first pause between two probes, and the longest one a long wait backs off to. */
const FIRST_PAUSE_MS = 10
const LONGEST_PAUSE_MS = 50

/**
 * Polls an async probe (a database query, say) until it returns true: often at first, then less
 * often, so a long wait does not keep the database (which the service under test shares) busy
 * with 50 queries a second. The simulator's waitFor takes synchronous probes only: a promise is
 * truthy and ends it at once.
 */
export async function pollUntil(probe: () => Promise<boolean>, o: { timeoutMs?: number; message?: string; explain?: () => Promise<unknown> } = {}): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? PATIENT_MS)
  let pause = FIRST_PAUSE_MS
  while (!(await probe())) {
    if (Date.now() > deadline) {
      // What the test saw when it gave up (the outbox rows, say), so a failure on CI can be read.
      const seen = o.explain ? `\n${JSON.stringify(await o.explain(), null, 1)}` : ''
      throw new Error(`${o.message ?? 'pollUntil: condition not met'} (timeout ${o.timeoutMs ?? PATIENT_MS} ms)${seen}`)
    }
    await new Promise((resolve) => setTimeout(resolve, pause))
    pause = Math.min(LONGEST_PAUSE_MS, Math.ceil(pause * 1.5))
  }
}

/** Waits until the outbox has nothing left to send (every row sent or dead). */
export async function outboxSettled(db: Database, o: { timeoutMs?: number } = {}): Promise<void> {
  await pollUntil(
    async () => {
      const [row] = await db
        .select({ n: count() })
        .from(outbox)
        .where(inArray(outbox.state, ['pending', 'sending']))
      return row?.n === 0
    },
    { ...o, message: 'outbox still has rows to send' },
  )
}

/**
 * Waits until the outbox is idle: nothing is being sent and no waiting row is due (each one waits
 * for its retry time, an earlier row of its destination or its parent), the same rule the outbox
 * workers claim by. Rows deferred by a rate budget stay pending, so `outboxSettled` would not end.
 */
export async function outboxIdle(db: Database): Promise<void> {
  await pollUntil(
    async () => {
      const [rows] = (await db.execute(sql`
      SELECT COUNT(*) AS n FROM outbox o
      WHERE o.state = 'sending' OR (o.state = 'pending' AND o.next_attempt_at <= CURRENT_TIMESTAMP(3)
        AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.destination = o.destination AND p.id < o.id AND p.state IN ('pending', 'sending'))
        AND (o.depends_on IS NULL OR EXISTS (SELECT 1 FROM outbox d WHERE d.id = o.depends_on AND d.state IN ('sent', 'dead', 'failed'))))`)) as unknown as [
        Array<{ n: number | string }>,
      ]
      return Number(rows[0]?.n) === 0
    },
    { message: 'outbox still has rows due or in flight' },
  )
}

/**
 * Waits until the service has nothing left to do for what it received: every stored update
 * handled (or parked as failed) and the outbox settled. Tests that assert "nothing more
 * arrived" wait for this instead of sleeping.
 */
export async function serviceSettled(db: Database, o: { timeoutMs?: number } = {}): Promise<void> {
  await pollUntil(
    async () => {
      const [row] = await db.select({ n: count() }).from(updates).where(eq(updates.state, 'received'))
      return row?.n === 0
    },
    { ...o, message: 'updates still waiting to be handled' },
  )
  await outboxSettled(db, o)
}
