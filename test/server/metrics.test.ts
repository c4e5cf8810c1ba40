import { readFileSync } from 'node:fs'
import { createServer as createTcpServer } from 'node:net'
import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { createDatabase } from '../../src/db/client.js'
import { priorityClasses } from '../../src/db/schema/index.js'
import { encodeDestination } from '../../src/delivery/destination.js'
import { enqueue } from '../../src/delivery/outbox.js'
import { createLogger } from '../../src/logger.js'
import { createAdminServer } from '../../src/server/admin-server.js'
import { METRIC_NAMES, Metrics } from '../../src/server/metrics.js'
import { databaseReadiness } from '../../src/server/readiness.js'
import { createTestDatabase } from '../support/database.js'
import { onboard, waitForTopicMessage } from '../support/flows.js'
import { startHarness, type Harness } from '../support/harness.js'
import { pollUntil } from '../support/poll.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.stop()
  h = undefined
})

/** Every sample of `name` in the exposition text, as label text → value. */
async function samples(name: string): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${h!.app.adminPort}/metrics`)).text()
  const found = new Map<string, number>()
  for (const line of text.split('\n')) {
    const match = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line)
    if (match?.[1] === name) found.set(match[2] ?? '', Number(match[3]))
  }
  return found
}
async function metric(name: string, labels: Record<string, string>): Promise<number | undefined> {
  for (const [text, value] of await samples(name)) if (Object.entries(labels).every(([k, v]) => text.includes(`${k}="${v}"`))) return value
  return undefined
}

describe('metrics for a support lead and an operator', () => {
  it('times a client message from its arrival to its copy in each topic, and the handlers', async () => {
    h = await startHarness()
    const project = h.world.project.key
    const zoe = await onboard(h, h.world.people.zoe, 'zoe@example.com', 'north')
    h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text: 'how long did this take?' })
    await waitForTopicMessage(h, h.world.groups.cs.id, zoe.cs, 'how long did this take?')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'how long did this take?')
    await pollUntil(async () => ((await metric('topicdesk_client_message_delivery_seconds_count', { project, role: 'cr' })) ?? 0) >= 1, {
      message: 'the CR copy timed',
    })
    expect(await metric('topicdesk_client_message_delivery_seconds_count', { project, role: 'cs' })).toBeGreaterThanOrEqual(1)
    // Seconds, not milliseconds: well under a minute here.
    expect(await metric('topicdesk_client_message_delivery_seconds_bucket', { project, role: 'cs', le: '60' })).toBeGreaterThanOrEqual(1)
    // /start, the email, the message. A handling is timed when its handler returns, which can be after its copies are delivered.
    await pollUntil(async () => ((await metric('topicdesk_update_handling_seconds_count', { role: 'client' })) ?? 0) >= 3, {
      message: 'three client updates timed',
    })
  })

  it('shows the age of the oldest waiting row per priority class, 0 for an empty class', async () => {
    h = await startHarness()
    for (const priorityClass of priorityClasses) expect(await metric('topicdesk_outbox_oldest_waiting_seconds', { class: priorityClass })).toBe(0)
    await h.app.workers.stop()
    const csGroup = h.world.groups.cs.id
    await enqueue(h.database.db, {
      projectId: h.projectId,
      class: 'prompt',
      destination: encodeDestination({ kind: 'chat', chatId: csGroup }),
      botId: h.world.bots.cs.id,
      job: { type: 'text', target: { kind: 'chat', chatId: csGroup }, text: 'waiting' },
    })
    await h.database.db.execute(sql`UPDATE outbox SET created_at = UTC_TIMESTAMP(3) - INTERVAL 5 MINUTE`)
    const age = await metric('topicdesk_outbox_oldest_waiting_seconds', { class: 'prompt' })
    expect(age).toBeGreaterThanOrEqual(300)
    expect(age).toBeLessThan(360)
    expect(await metric('topicdesk_outbox_oldest_waiting_seconds', { class: 'live' })).toBe(0)
    // The service reports both of its pools.
    for (const pool of ['main', 'delivery']) expect(await metric('topicdesk_db_pool_waiting', { pool })).toBe(0)
  })

  it('shows the database pools in use and callers waiting for a connection', async () => {
    const database = await createTestDatabase()
    const pool = createDatabase(database.url, { poolSize: 2 })
    const metrics = new Metrics(database.db, { pools: { main: pool.pool } })
    const gauge = async (name: string, labels: string) => Number(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, 'm').exec(await metrics.text())?.[1])
    try {
      expect(await gauge('topicdesk_db_pool_connections', 'pool="main",state="in_use"')).toBe(0)
      expect(await gauge('topicdesk_db_pool_waiting', 'pool="main"')).toBe(0)
      // Both connections lent, a third caller waits.
      const held = [await pool.pool.getConnection(), await pool.pool.getConnection()]
      const waiting = pool.pool.getConnection()
      expect(await gauge('topicdesk_db_pool_connections', 'pool="main",state="in_use"')).toBe(2)
      expect(await gauge('topicdesk_db_pool_waiting', 'pool="main"')).toBe(1)
      for (const connection of held) connection.release()
      ;(await waiting).release()
      expect(await gauge('topicdesk_db_pool_waiting', 'pool="main"')).toBe(0)
      expect(await gauge('topicdesk_db_pool_connections', 'pool="main",state="idle"')).toBe(2)
    } finally {
      await pool.close()
      await database.close()
    }
  })
})

describe('the documented metrics', () => {
  it('the README lists every metric, and the Grafana dashboard asks only for metrics that exist', () => {
    const readme = readFileSync('README.md', 'utf8')
    for (const name of METRIC_NAMES) expect(readme).toContain(`| \`${name}\` |`)
    const dashboard = readFileSync('deploy/grafana-dashboard.json', 'utf8')
    const asked = new Set([...dashboard.matchAll(/topicdesk_\w+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')))
    for (const name of asked) expect(METRIC_NAMES.includes(name as never) || /^topicdesk_(process|nodejs)_/.test(name), name).toBe(true)
    expect(asked).toContain('topicdesk_client_message_delivery_seconds')
    expect(readme).toContain('(deploy/grafana-dashboard.json)')
  })
})

describe('readiness and health without a database', () => {
  it('/readyz says why the database cannot be reached: the driver error code', async () => {
    const closed = await closedPort()
    const refused = createDatabase(`mysql://topicdesk:secret@127.0.0.1:${closed}/topicdesk`)
    expect(await databaseReadiness(refused.db)).toMatchObject({ name: 'database', ok: false, detail: expect.stringMatching(/^ECONNREFUSED: /) })
    await refused.close()

    const url = new URL(process.env.DATABASE_URL!)
    url.password = 'not-the-password'
    const denied = createDatabase(url.toString())
    const check = await databaseReadiness(denied.db)
    expect(check).toMatchObject({ ok: false, detail: expect.stringMatching(/^ER_ACCESS_DENIED_ERROR: /) })
    expect(check.detail).not.toContain('not-the-password')
    await denied.close()
  })

  it('/healthz answers without asking the database or the metrics', async () => {
    const fail = () => {
      throw new Error('must not be asked')
    }
    const server = createAdminServer({ logger: createLogger('silent'), metrics: { text: fail } as unknown as Metrics, api: {} as never, readiness: fail })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const response = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect([response.status, await response.json()]).toEqual([200, { status: 'ok' }])
    await new Promise((resolve) => server.close(resolve))
  })
})

/** A port nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
  const server = createTcpServer()
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    }),
  )
}
