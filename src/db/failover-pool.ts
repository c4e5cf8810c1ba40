import mysql, { type Pool, type PoolConnection, type PoolOptions } from 'mysql2/promise'
import { mysqlErrorCode } from './errors.js'

/**
 * Failures that say the node itself is gone or not serving: its port refuses, its connection
 * died, it is shutting down, or (Galera) it is not a synced member of the primary component
 * ("WSREP has not yet prepared node for application use", ER_UNKNOWN_COM_ERROR), or it is read-only
 * (a Group Replication secondary: ER_OPTION_PREVENTS_STATEMENT), so no writer.
 */
const NODE_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_UNKNOWN_COM_ERROR',
  'ER_OPTION_PREVENTS_STATEMENT',
])
/** Of those, the ones where the statement certainly did not run: a connection that never opened, a statement the node refused. */
const NOT_RUN_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'ER_UNKNOWN_COM_ERROR', 'ER_OPTION_PREVENTS_STATEMENT'])

export function isNodeDown(error: unknown): boolean {
  const code = mysqlErrorCode(error)
  return (code !== undefined && NODE_DOWN_CODES.has(code)) || /WSREP has not yet prepared node/i.test(String((error as Error)?.message ?? ''))
}

function notRun(error: unknown): boolean {
  const code = mysqlErrorCode(error)
  return code !== undefined && NOT_RUN_CODES.has(code)
}

export interface FailoverOptions {
  /** Called on each node's new pool before use (the session set-up of its connections). */
  prepare: (pool: Pool) => void
  /** Told each move to another node (the log, the metrics). */
  onMove?: (url: string, error: unknown) => void
}

/**
 * A pool that writes through one node of a cluster at a time: `urls` in order, the first to begin
 * with. When the node it uses fails (see isNodeDown), it ends that node's pool and moves to the
 * next URL, for good: it does not go back when the old node returns (one writer, no flapping).
 * The failing call fails, as do the transactions in flight on the old node (their callers retry
 * transient failures, src/db/errors.ts) — except a statement that certainly did not run (a
 * connection refused, a statement the node refused), which is tried on the next node at once.
 * Looks like a mysql2 Pool to drizzle and the metrics (`pool.pool` is the current node's).
 */
export function createFailoverPool(urls: readonly string[], poolOptions: Omit<PoolOptions, 'uri'>, options: FailoverOptions): Pool {
  let index = 0
  let generation = 0
  let ended = false
  let current = open(0)

  function open(at: number): Pool {
    const pool = mysql.createPool({ ...poolOptions, uri: urls[at] })
    options.prepare(pool)
    return pool
  }

  /** Moves to the next node when `error` says the node of `seen` (a generation) is down; true when a move was made or another caller made it. */
  function failed(seen: number, error: unknown): boolean {
    if (ended || !isNodeDown(error)) return false
    if (seen !== generation) return true
    generation += 1
    const old = current
    index = (index + 1) % urls.length
    current = open(index)
    old.end().catch(() => {})
    options.onMove?.(urls[index]!, error)
    return true
  }

  /** Runs `call` on the current node; a refused statement moves on and runs again, up to once per node. */
  async function onCurrent<T>(call: (pool: Pool, seen: number) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const seen = generation
      try {
        return await call(current, seen)
      } catch (error) {
        if (!failed(seen, error) || !notRun(error) || attempt >= urls.length) throw error
      }
    }
  }

  /** A lent connection reports its node's failures too (a transaction's statements run on it, not on the pool). */
  function watch(connection: PoolConnection, seen: number): PoolConnection {
    const calls = connection as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    for (const method of ['query', 'execute'] as const) {
      const original = calls[method]!.bind(connection)
      calls[method] = (...args: unknown[]) =>
        original(...args).catch((error: unknown) => {
          failed(seen, error)
          throw error
        })
    }
    return connection
  }

  const methods: Record<string, unknown> = {
    query: (...args: unknown[]) => onCurrent((pool) => (pool.query as (...a: unknown[]) => Promise<unknown>)(...args)),
    execute: (...args: unknown[]) => onCurrent((pool) => (pool.execute as (...a: unknown[]) => Promise<unknown>)(...args)),
    getConnection: () => onCurrent(async (pool, seen) => watch(await pool.getConnection(), seen)),
    end: () => {
      ended = true
      return current.end()
    },
  }
  // Properties set on the pool (the test pool guard wraps methods) live on the target and win.
  return new Proxy({} as Pool, {
    get(target, property) {
      if (Object.prototype.hasOwnProperty.call(target, property)) return Reflect.get(target, property) as unknown
      if (typeof property === 'string' && Object.hasOwn(methods, property)) return methods[property]
      const value = Reflect.get(current, property) as unknown
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(current) : value
    },
    has: (_, property) => property in current,
  })
}
