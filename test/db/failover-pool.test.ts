import { createServer, connect, type Server, type Socket } from 'node:net'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase } from '../../src/db/client.js'
import { isTransientDbError } from '../../src/db/errors.js'
import { isNodeDown } from '../../src/db/failover-pool.js'
import { runMigrations } from '../../src/db/migrate.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { freePort } from '../support/free-port.js'

/** A TCP forwarder to the test server standing in for a cluster node; kill() is a kill -9 (open connections reset, the port refuses). */
async function startNode(target: URL): Promise<{ url: string; connections: () => number; kill: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  let accepted = 0
  const server: Server = createServer((client) => {
    accepted += 1
    const upstream = connect(Number(target.port), target.hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => sockets.delete(socket))
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = new URL(target)
  url.port = String((server.address() as { port: number }).port)
  return {
    url: url.toString(),
    connections: () => accepted,
    kill: async () => {
      for (const socket of sockets) socket.resetAndDestroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

const ping = sql`SELECT 1 AS one`

describe('a database with several URLs (the nodes of a cluster)', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 1 })
    await database.db.execute(sql`CREATE TABLE failover_probe (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(20))`)
  })
  afterAll(() => database.close())

  it('starts on the next URL when the first refuses, the statement run there at once', async () => {
    const closed = new URL(database.url)
    closed.port = String(await freePort())
    const moves: string[] = []
    const handle = createDatabase([closed.toString(), database.url], { poolSize: 2, onFailover: (url) => moves.push(new URL(url).port) })
    try {
      await handle.db.execute(ping)
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO failover_probe (note) VALUES ('refused first')`)
      })
      expect(moves).toEqual([new URL(database.url).port])
      // Migrations at start-up too: on the first node that answers (nothing pending here).
      await runMigrations([closed.toString(), database.url])
    } finally {
      await handle.close()
    }
  })

  it('moves to the next node when its node dies: the transaction in flight fails as transient, the next one commits there', async () => {
    const node1 = await startNode(new URL(database.url))
    const moves: string[] = []
    const handle = createDatabase([node1.url, database.url], { poolSize: 2, onFailover: (url) => moves.push(url) })
    try {
      await handle.db.execute(ping)
      expect(node1.connections()).toBeGreaterThan(0)
      const inFlight = handle.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO failover_probe (note) VALUES ('in flight')`)
        await node1.kill()
        await tx.execute(sql`INSERT INTO failover_probe (note) VALUES ('after the kill')`)
      })
      const failure = await inFlight.then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(isTransientDbError(failure), String(failure)).toBe(true)
      expect(moves).toEqual([database.url])
      // The retry, as the callers make it: on the next node.
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO failover_probe (note) VALUES ('retried')`)
      })
      const [rows] = (await database.db.execute(sql`SELECT note FROM failover_probe WHERE note IN ('in flight', 'after the kill', 'retried') ORDER BY id`)) as unknown as [
        Array<{ note: string }>,
      ]
      expect(rows.map((r) => r.note)).toEqual(['retried'])
    } finally {
      await handle.close()
    }
  })

  it('takes a Galera node that is not ready, a read-only node and a lost connection for a node down; a deadlock or a duplicate for no such thing', () => {
    const wsrep = Object.assign(new Error('WSREP has not yet prepared node for application use'), { code: 'ER_UNKNOWN_COM_ERROR', errno: 1047 })
    expect(isNodeDown(new Error('query failed', { cause: wsrep }))).toBe(true)
    expect(isTransientDbError(new Error('query failed', { cause: wsrep }))).toBe(true)
    expect(isNodeDown(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true)
    expect(isNodeDown(Object.assign(new Error('--super-read-only'), { code: 'ER_OPTION_PREVENTS_STATEMENT' }))).toBe(true)
    expect(isNodeDown(Object.assign(new Error('deadlock'), { code: 'ER_LOCK_DEADLOCK' }))).toBe(false)
    expect(isNodeDown(Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' }))).toBe(false)
  })
})
