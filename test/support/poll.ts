import { count, inArray } from 'drizzle-orm'
import type { Database } from '../../src/db/client.js'
import { outbox } from '../../src/db/schema/index.js'

/**
 * Polls an async probe (a database query, say) every 20 ms until it returns true. The
 * simulator's waitFor takes synchronous probes only: a promise is truthy and ends it at once.
 */
export async function pollUntil(probe: () => Promise<boolean>, o: { timeoutMs?: number; message?: string } = {}): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 5000)
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${o.message ?? 'pollUntil: condition not met'} (timeout ${o.timeoutMs ?? 5000} ms)`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Waits until the outbox has nothing left to send (every row sent or dead). */
export async function outboxSettled(db: Database): Promise<void> {
  await pollUntil(async () => {
    const [row] = await db.select({ n: count() }).from(outbox).where(inArray(outbox.state, ['pending', 'sending']))
    return row?.n === 0
  }, { message: 'outbox still has rows to send' })
}
