/**
 * The MySQL/MariaDB error code (ER_DUP_ENTRY, ER_NO_SUCH_TABLE, …) of a failed query. drizzle
 * wraps driver errors in DrizzleQueryError, so the code sits on `cause`, not on the error itself.
 */
export function mysqlErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown }
    if (typeof code === 'string') return code
    current = cause
  }
  return undefined
}

/** A unique key said no: the row (or the link it guards) already exists. */
export function isDuplicateKey(error: unknown): boolean {
  return mysqlErrorCode(error) === 'ER_DUP_ENTRY'
}

const TRANSIENT_CODES = new Set([
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_QUERY_INTERRUPTED',
  'EHOSTUNREACH',
  // A Galera node that is not (or no longer) a synced member of the primary component.
  'ER_UNKNOWN_COM_ERROR',
  // A read-only node (a Group Replication secondary): the failover pool moves to the next URL.
  'ER_OPTION_PREVENTS_STATEMENT',
])

/** A database failure worth retrying as is: a deadlock, a lock wait, or a lost connection. */
export function isTransientDbError(error: unknown): boolean {
  const code = mysqlErrorCode(error)
  if (code) return TRANSIENT_CODES.has(code)
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if (/closed state|Connection lost|Pool is closed/i.test(String((current as Error).message ?? ''))) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/** Runs `work`, retrying transient database failures (deadlocks above all) with a short backoff. */
export async function retryTransient<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work()
    } catch (error) {
      if (attempt >= attempts || !isTransientDbError(error)) throw error
      await new Promise((resolve) => setTimeout(resolve, 50 * 3 ** attempt + Math.random() * 50))
    }
  }
}
