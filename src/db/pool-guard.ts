import { AsyncLocalStorage } from 'node:async_hooks'
import type { Pool } from 'mysql2/promise'
import type { Database } from './client.js'

const inTransaction = new AsyncLocalStorage<{ started: boolean; origin: string }>()

/**
 * Reports (stderr, with where the transaction began) a statement sent on the pool, not on the
 * transaction, from inside a transaction's call chain: it needs a second connection while the
 * first is held, and once every connection is held so, the pool waits forever. Set by
 * TOPICDESK_POOL_GUARD=1 in tests; never in production (it wraps every pool call).
 */
export function guardPool(db: Database, pool: Pool): void {
  const transaction = db.transaction.bind(db)
  db.transaction = ((fn: never, config: never) => inTransaction.run({ started: false, origin: new Error().stack ?? '' }, () => transaction(fn, config))) as never
  const calls = pool as unknown as Record<string, (...args: unknown[]) => unknown>
  for (const method of ['query', 'execute', 'getConnection'] as const) {
    const original = calls[method]!.bind(pool)
    calls[method] = (...args: unknown[]) => {
      const store = inTransaction.getStore()
      if (store) {
        // The transaction's own connection is the first one its chain asks for.
        if (method === 'getConnection' && !store.started) store.started = true
        else process.stderr.write(`POOL-GUARD: ${method} on the pool inside a transaction begun at\n${store.origin}\n`)
      }
      return original(...args)
    }
  }
}
