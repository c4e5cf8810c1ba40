import { sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../client.js'
import { sqlList } from '../sql-list.js'

/**
 * The statements of the instances' leases (`leases` table; the logic is in
 * src/bots/ingress/instance-leases.ts). Every time is the database's clock (NOW(3)), never a
 * process's. Counts are of rows found, not changed: mysql2 sets CLIENT_FOUND_ROWS.
 */

const until = (ttlMs: number): SQL => sql`NOW(3) + INTERVAL ${ttlMs * 1000} MICROSECOND`
type Header = [{ affectedRows: number }]

/** The rows of leases wanted for the first time (free, expired at once); existing ones untouched. */
export async function ensureLeaseRows(db: DbOrTx, list: string[]): Promise<void> {
  if (list.length === 0) return
  await db.execute(
    sql`INSERT IGNORE INTO leases (name, holder, expires_at) VALUES ${sql.join(
      list.map((name) => sql`(${name}, NULL, NOW(3))`),
      sql`, `,
    )}`,
  )
}

const INSTANCE = 'instance:'

/** The lease every instance holds while it lives (`outbox.claimed_by` names the same id). */
export const instanceLease = (instanceId: string): string => `${INSTANCE}${instanceId}`

/** The instance whose own lease `name` is, if it is one. */
export function instanceOfLease(name: string): string | undefined {
  return name.startsWith(INSTANCE) ? name.slice(INSTANCE.length) : undefined
}

/**
 * Renews every lease the holder has, in one statement, and takes the own leases of instances whose
 * ran out (dead, or cut from the database): the holder then finds them among its leases, releases
 * their outbox claims and deletes them (`deleteLeases`). Returns how many it has.
 */
export async function renewLeases(db: DbOrTx, holder: string, ttlMs: number): Promise<number> {
  const [result] = (await db.execute(
    sql`UPDATE leases SET holder = ${holder}, expires_at = ${until(ttlMs)} WHERE holder = ${holder}
      OR (name LIKE ${`${INSTANCE}%`} AND holder IS NOT NULL AND expires_at < NOW(3))`,
  )) as unknown as Header
  return result.affectedRows
}

/**
 * Takes those of the leases named that are free, expired, or the holder's own already (ones it
 * gave up while the database still had them); returns how many. `limit`: at most so many (in name
 * order). `freeForMs`: only those free or expired for at least that long (a freed row's
 * `expires_at` is when it was freed).
 */
export async function takeLeases(db: DbOrTx, holder: string, list: string[], ttlMs: number, options: { limit?: number; freeForMs?: number } = {}): Promise<number> {
  const { limit, freeForMs } = options
  if (list.length === 0 || limit === 0) return 0
  const takeable =
    freeForMs === undefined
      ? sql`(holder IS NULL OR holder = ${holder} OR expires_at < NOW(3))`
      : sql`(holder IS NULL OR expires_at < NOW(3)) AND expires_at < NOW(3) - INTERVAL ${freeForMs * 1000} MICROSECOND`
  const atMost = limit === undefined ? sql`` : sql` ORDER BY name LIMIT ${limit}`
  const [result] = (await db.execute(
    sql`UPDATE leases SET holder = ${holder}, expires_at = ${until(ttlMs)} WHERE name IN (${sqlList(list)}) AND ${takeable}${atMost}`,
  )) as unknown as Header
  return result.affectedRows
}

/** How many instances live now: those holding their own lease (`instance:<id>` held by `<id>`, not run out). */
export async function liveInstances(db: DbOrTx): Promise<number> {
  const [rows] = (await db.execute(
    sql`SELECT COUNT(*) AS live FROM leases WHERE name LIKE ${`${INSTANCE}%`} AND name = CONCAT(${INSTANCE}, holder) AND expires_at > NOW(3)`,
  )) as unknown as [Array<{ live: number | string }>]
  return Number(rows[0]?.live ?? 0)
}

/** The names of the leases the holder has and that have not run out. */
export async function heldLeases(db: DbOrTx, holder: string): Promise<string[]> {
  const [rows] = (await db.execute(sql`SELECT name FROM leases WHERE holder = ${holder} AND expires_at > NOW(3)`)) as unknown as [Array<{ name: string }>]
  return rows.map((row) => row.name)
}

/**
 * Lets the holder's leases go (those named, or all), for another instance to take at once. All
 * leaves the own leases of dead instances it took: freed, no heartbeat would ever take them (a
 * live instance's own lease is never free), so they stay with it until they run out and another
 * instance takes them (and releases their claims).
 */
export async function freeLeases(db: DbOrTx, holder: string, list?: string[]): Promise<void> {
  if (list?.length === 0) return
  const which = list ? sql`name IN (${sqlList(list)})` : sql`name NOT LIKE ${`${INSTANCE}%`}`
  await db.execute(sql`UPDATE leases SET holder = NULL, expires_at = NOW(3) WHERE holder = ${holder} AND ${which}`)
}

/** Deletes leases the holder has (dead instances' own leases once their claims are released, its own at a stop). */
export async function deleteLeases(db: DbOrTx, holder: string, list: string[]): Promise<void> {
  if (list.length === 0) return
  await db.execute(sql`DELETE FROM leases WHERE holder = ${holder} AND name IN (${sqlList(list)})`)
}
