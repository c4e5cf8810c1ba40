import { createHash } from 'node:crypto'
import mysql, { type Connection } from 'mysql2/promise'
import { PREPARED_STATEMENTS_PER_CONNECTION } from './client.js'

/**
 * A MySQL named lock (GET_LOCK) held on its own connection for as long as this process polls
 * a bot, so a second instance waits instead of causing 409 conflicts. MySQL 8 and MariaDB both
 * release it when the connection ends (a crashed process loses it at once).
 */
export class NamedLock {
  private connection?: Connection
  /** GET_LOCK names are server-wide: scope them to the database, so services (or test runs) on other databases of the same server do not wait for each other. */
  private readonly lockName: string

  constructor(
    private readonly databaseUrl: string,
    readonly name: string,
  ) {
    const scoped = `${decodeURIComponent(new URL(databaseUrl).pathname.slice(1))}:${name}`
    this.lockName = scoped.length <= 64 ? scoped : createHash('sha256').update(scoped).digest('hex')
  }

  /** Tries once; true when this process now holds the lock. */
  async tryAcquire(): Promise<boolean> {
    try {
      // One per polled bot: mysql2's default prepared-statement cache would cost ~0.5 MB each.
      this.connection ??= await mysql.createConnection({ uri: this.databaseUrl, maxPreparedStatements: PREPARED_STATEMENTS_PER_CONNECTION })
      const [rows] = (await this.connection.query('SELECT GET_LOCK(?, 0) AS got', [this.lockName])) as unknown as [Array<{ got: number | null }>]
      return rows[0]?.got === 1
    } catch {
      await this.release()
      return false
    }
  }

  /** True while the lock's connection is alive (a database restart drops the lock). */
  async stillHeld(): Promise<boolean> {
    if (!this.connection) return false
    try {
      const [rows] = (await this.connection.query('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine', [this.lockName])) as unknown as [Array<{ mine: number | null }>]
      return rows[0]?.mine === 1
    } catch {
      return false
    }
  }

  /** Lets the lock go but keeps its connection for the next `tryAcquire` (a job that runs every second). */
  async unlock(): Promise<void> {
    if (!this.connection) return
    try {
      await this.connection.query('SELECT RELEASE_LOCK(?)', [this.lockName])
    } catch {
      await this.release()
    }
  }

  /** Lets the lock go and closes its connection. */
  async release(): Promise<void> {
    const connection = this.connection
    this.connection = undefined
    if (!connection) return
    await connection.query('SELECT RELEASE_LOCK(?)', [this.lockName]).catch(() => undefined)
    await connection.end().catch(() => connection.destroy())
  }
}
