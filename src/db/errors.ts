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
