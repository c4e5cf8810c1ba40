import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import mysql from 'mysql2/promise'
import { REPO_ROOT } from './paths.js'

const run = promisify(execFile)
/** Rows per multi-row INSERT when seeding (a statement stays well under max_allowed_packet). */
const INSERT_CHUNK = 2000

/**
 * The benchmark's own MariaDB (started by scripts/bench.sh on its own port and data dir) and one
 * fresh database per scenario run on it. Refuses to run without that server, so the dev/test
 * server is never touched (not even by the MariaDB restart of the faults scenario).
 */
export class BenchServer {
  /** `nodeUrls`: a cluster's nodes (the galera scenario), tried in order; else the one server. */
  private constructor(
    readonly serverUrl: string,
    readonly nodeUrls: readonly string[] = [serverUrl],
  ) {}

  /** The nodes of a cluster the scenario started itself (scripts/galera-start.sh); queries go to the first that answers. */
  static forCluster(nodeUrls: readonly string[]): BenchServer {
    return new BenchServer(nodeUrls[0]!, nodeUrls)
  }

  static fromEnvironment(): BenchServer {
    const url = process.env.BENCH_DATABASE_URL
    if (!url || !process.env.TOPICDESK_DB_HOME) throw new Error('BENCH_DATABASE_URL / TOPICDESK_DB_HOME are not set: run the benchmark with `npm run bench`.')
    return new BenchServer(url)
  }

  async createDatabase(label: string): Promise<BenchDatabase> {
    const name = `bench_${label}_${Date.now()}`
    await this.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
    const urls = this.nodeUrls.map((node) => {
      const url = new URL(node)
      url.pathname = `/${name}`
      return url.toString()
    })
    return new BenchDatabase(this, name, urls[0]!, urls)
  }

  /** MariaDB's count of statements from clients since it started (reset by a restart). */
  async questions(): Promise<number> {
    const rows = await this.query("SHOW GLOBAL STATUS LIKE 'Questions'")
    return Number((rows as Array<{ Value: string }>)[0]?.Value ?? NaN)
  }

  /** db-stop then db-start on the benchmark's port and data dir (inherited from bench.sh). */
  async restart(): Promise<void> {
    await run('bash', ['scripts/db-stop.sh'], { cwd: REPO_ROOT })
    await run('bash', ['scripts/db-start.sh'], { cwd: REPO_ROOT })
  }

  async query(sql: string, values?: unknown[]): Promise<unknown> {
    const connection = await connectFirst(this.nodeUrls)
    try {
      const [rows] = await connection.query(sql, values)
      return rows
    } finally {
      await connection.end()
    }
  }
}

export class BenchDatabase {
  constructor(
    private readonly server: BenchServer,
    readonly name: string,
    readonly url: string,
    /** Every node's URL of this database (one unless on a cluster): the service's `database.urls`. */
    readonly urls: readonly string[] = [url],
  ) {}

  /** Loads the account records clients will prove by email (the project row exists once the service started). */
  async insertAccounts(projectKey: string, accounts: Array<{ email: string; name: string; accountId: string; crTeam: string }>): Promise<void> {
    const rows = (await this.server.query(`SELECT id FROM \`${this.name}\`.projects WHERE \`key\` = ?`, [projectKey])) as Array<{ id: number }>
    const projectId = rows[0]?.id
    if (projectId === undefined) throw new Error(`project ${projectKey} not found in ${this.name}`)
    await this.server.query(`INSERT INTO \`${this.name}\`.accounts (project_id, email, display_name, external_id, cr_team_hint, treatment) VALUES ?`, [
      accounts.map((a) => [projectId, a.email, a.name, a.accountId, a.crTeam, false]),
    ])
  }

  /** When the service stored each update (database clock, ms), for ingress latency. */
  async updateStoredAt(botId: number, updateIds: number[]): Promise<Map<number, number>> {
    const stored = new Map<number, number>()
    if (updateIds.length === 0) return stored
    const rows = (await this.server.query(
      `SELECT update_id AS updateId, UNIX_TIMESTAMP(created_at) * 1000 AS at FROM \`${this.name}\`.updates WHERE bot_id = ? AND update_id BETWEEN ? AND ?`,
      [botId, Math.min(...updateIds), Math.max(...updateIds)],
    )) as Array<{ updateId: number; at: string | number }>
    for (const row of rows) stored.set(Number(row.updateId), Number(row.at))
    return stored
  }

  /** Rows claimed and not yet recorded: each may be sent again after a crash (its lease expires). */
  async outboxSending(): Promise<number> {
    const rows = (await this.server.query(`SELECT COUNT(*) AS n FROM \`${this.name}\`.outbox WHERE state = 'sending'`)) as Array<{ n: number }>
    return Number(rows[0]?.n ?? 0)
  }

  /**
   * What the service still has to do: updates not yet handled plus outbox rows in flight or due now
   * (rows due later, reminders say, wait without work). 0 once onboarding's cards and edits are out.
   */
  async workLeft(): Promise<number> {
    const rows = (await this.server.query(
      `SELECT (SELECT COUNT(*) FROM \`${this.name}\`.updates WHERE state = 'received')
        + (SELECT COUNT(*) FROM \`${this.name}\`.outbox WHERE state = 'sending' OR (state = 'pending' AND next_attempt_at <= CURRENT_TIMESTAMP(3))) AS n`,
    )) as Array<{ n: number | string }>
    return Number(rows[0]?.n ?? 0)
  }

  /** Outbox rows by state, to explain what the witness saw (never used to count deliveries). */
  async outboxStates(): Promise<Record<string, number>> {
    const rows = (await this.server.query(`SELECT state, COUNT(*) AS n FROM \`${this.name}\`.outbox GROUP BY state`)) as Array<{ state: string; n: number }>
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]))
  }

  /**
   * Multi-row INSERTs of `rows` (values in `columns` order), `chunk` rows a statement: setup
   * (seeding) that takes seconds for tens of thousands of rows. Returns the rows inserted.
   */
  async insertMany(table: string, columns: string[], rows: unknown[][], chunk = INSERT_CHUNK): Promise<number> {
    for (let i = 0; i < rows.length; i += chunk) {
      await this.query(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [rows.slice(i, i + chunk)])
    }
    return rows.length
  }

  /** A statement against this database (for setup such as seeding history; never for figures the service is judged on). */
  async query(sql: string, values?: unknown[]): Promise<unknown> {
    const connection = await connectFirst(this.urls)
    try {
      const [rows] = await connection.query(sql, values)
      return rows
    } finally {
      await connection.end()
    }
  }

  async drop(): Promise<void> {
    await this.server.query(`DROP DATABASE IF EXISTS \`${this.name}\``)
  }
}

/** A connection to the first of `urls` that accepts one (a cluster node the scenario killed refuses). */
async function connectFirst(urls: readonly string[]): Promise<mysql.Connection> {
  for (const [i, uri] of urls.entries()) {
    try {
      return await mysql.createConnection({ uri, timezone: 'Z' })
    } catch (error) {
      if (i === urls.length - 1) throw error
    }
  }
  throw new Error('no database URL')
}
