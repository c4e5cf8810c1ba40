import type { Logger as QueryLogger } from 'drizzle-orm/logger'
import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2'
import mysql, { type Pool } from 'mysql2/promise'
import { createFailoverPool } from './failover-pool.js'
import { guardPool } from './pool-guard.js'
import * as schema from './schema/index.js'

export type Database = MySql2Database<typeof schema>
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
/** Query functions take either, so a caller can run them inside its own transaction. */
export type DbOrTx = Database | Transaction

export type { QueryLogger }

export interface DatabaseHandle {
  db: Database
  pool: Pool
  close: () => Promise<void>
}

/** Server-side prepared statements cached per connection (mysql2's default is 16,000). */
export const PREPARED_STATEMENTS_PER_CONNECTION = 16

/**
 * A mysql2 pool wrapped by drizzle. Sessions run in UTC: drizzle reads and writes DATETIME as UTC,
 * so CURRENT_TIMESTAMP defaults and NOW() comparisons must agree with it. `readCommitted` makes
 * every session READ COMMITTED (the outbox workers' pool: claims take no gap locks); `instanceId`
 * names the instance its claims belong to (`@topicdesk_instance`: `claimJobs`, `claimUpdate`). Several URLs
 * (`database.urls`, the nodes of a Galera cluster): one node at a time, the next when it fails
 * (src/db/failover-pool.ts).
 */
export function createDatabase(
  url: string | readonly string[],
  options: { poolSize?: number; queryLogger?: QueryLogger; readCommitted?: boolean; instanceId?: string; onFailover?: (url: string, error: unknown) => void } = {},
): DatabaseHandle {
  const urls = typeof url === 'string' ? [url] : url
  const poolOptions = {
    connectionLimit: options.poolSize ?? 10,
    timezone: 'Z',
    charset: 'utf8mb4',
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: false,
    // No stack captured per query (4 % of the service's CPU at max rate, in the bench's profile):
    // drizzle wraps every failure in its own error, which names the query and has a stack.
    trace: false,
    // Drizzle sends text queries (no server-side prepared statements), but mysql2 gives every
    // connection an LRU for them that allocates its arrays at full size up front: 4 × 16,000 slots,
    // 0.5 MB a connection. In the bench's scale scenario (30 pool connections + one lock connection
    // per polled bot, before leases) that was 29 MB of the service's ~60 MB live heap (heap snapshot).
    maxPreparedStatements: PREPARED_STATEMENTS_PER_CONNECTION,
  } as const
  const prepare = (pool: Pool) => {
    // Queued on the new connection before any caller's query, so it always runs first.
    pool.pool.on('connection', (connection) => {
      connection.query("SET time_zone = '+00:00'", () => {})
      // This form works on MariaDB and MySQL 8 alike (MySQL 8 has no `tx_isolation` variable).
      if (options.readCommitted) connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', () => {})
      // Whose claims this pool's claims are (`outbox.claimed_by`, `updates.claimed_by`): released at once when that instance's lease runs out.
      if (options.instanceId) connection.query('SET @topicdesk_instance = ?', [options.instanceId], () => {})
      // A cluster node applies the others' commits a moment after they return: a new session
      // (after a move, on a node that was not written through) first waits until its node has
      // applied everything the cluster committed, so it never reads a row older than the last
      // write. Errors are ignored: a server without wsrep (MySQL) has no such variable.
      if (urls.length > 1) for (const barrier of ['SET SESSION wsrep_sync_wait = 1', 'SELECT 1', 'SET SESSION wsrep_sync_wait = 0']) connection.query(barrier, () => {})
    })
  }
  const pool = urls.length > 1 ? createFailoverPool(urls, poolOptions, { prepare, onMove: options.onFailover }) : mysql.createPool({ ...poolOptions, uri: urls[0] })
  if (urls.length === 1) prepare(pool)
  // The query logger lets tests see every statement (test/support/query-recorder.ts).
  const db = drizzle(pool, { schema, mode: 'default', logger: options.queryLogger })
  // A debugging aid for tests (src/db/pool-guard.ts).
  if (process.env.TOPICDESK_POOL_GUARD === '1') guardPool(db, pool)
  return { db, pool, close: () => pool.end() }
}
