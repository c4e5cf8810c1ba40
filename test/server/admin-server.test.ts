import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeDestination } from '../../src/delivery/destination.js'
import { enqueue } from '../../src/delivery/outbox.js'
import { onboard, waitForTopicMessage } from '../support/flows.js'
import { startHarness, type Harness } from '../support/harness.js'
import { pollUntil } from '../support/poll.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.stop()
  h = undefined
})

const get = (path: string) => fetch(`http://127.0.0.1:${h!.app.adminPort}${path}`)
async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await get('/metrics')).text()
  let total = 0
  for (const line of text.split('\n')) {
    const match = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    if (Object.entries(labels).every(([k, v]) => (match[2] ?? '').includes(`${k}="${v}"`))) total += Number(match[3])
  }
  return total
}

async function outboxIdle() {
  await pollUntil(
    async () => {
      const [rows] = (await h!.database.db.execute(sql`SELECT COUNT(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`)) as unknown as [Array<{ n: number }>]
      return Number(rows[0]!.n) === 0
    },
    { message: 'outbox idle' },
  )
}

describe('admin server', () => {
  it('answers /healthz and /readyz, refuses other methods and paths, and says when the outbox is stuck', async () => {
    h = await startHarness()
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' })
    await pollUntil(async () => (await get('/readyz')).status === 200, { message: 'ready once every bot polls' })
    const ready = (await (await get('/readyz')).json()) as { checks: Array<{ name: string; ok: boolean }> }
    expect(ready.checks.map((c) => [c.name, c.ok])).toEqual([
      ['database', true],
      ['ingress', true],
      ['outbox', true],
    ])
    expect((await fetch(`http://127.0.0.1:${h.app.adminPort}/healthz`, { method: 'POST' })).status).toBe(405)
    expect(await (await get('/nope')).json()).toEqual({ error: { code: 'not_found', message: 'no route /nope' } })

    // Workers gone, a row due for ten minutes and nothing sent since: not ready, and why.
    await h.app.workers.stop()
    const csGroup = h.world.groups.cs.id
    await enqueue(h.database.db, {
      projectId: h.projectId,
      class: 'prompt',
      destination: encodeDestination({ kind: 'chat', chatId: csGroup }),
      botId: h.world.bots.cs.id,
      job: { type: 'text', target: { kind: 'chat', chatId: csGroup }, text: 'stuck' },
    })
    await h.database.db.execute(sql`UPDATE outbox SET next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE`)
    const stuck = await get('/readyz')
    expect(stuck.status).toBe(503)
    expect(((await stuck.json()) as { checks: Array<{ name: string; ok: boolean; detail: string }> }).checks.find((c) => c.name === 'outbox')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/due for \d+ s and nothing sent/),
    })
  })

  it('counts updates, sends, failures, 429s and customers as traffic flows', async () => {
    h = await startHarness()
    const zoe = await onboard(h, h.world.people.zoe, 'zoe@example.com', 'north')
    await outboxIdle()
    const clientBot = String(h.world.bots.client.id)
    const before = {
      handled: await metric('topicdesk_updates_total', { bot: clientBot, outcome: 'handled' }),
      sent: await metric('topicdesk_send_attempts_total', { class: 'live', outcome: 'sent' }),
      latency: await metric('topicdesk_send_duration_seconds_count', { class: 'live' }),
      limited: await metric('topicdesk_rate_limited_total'),
    }
    expect(before.handled).toBeGreaterThanOrEqual(2) // /start and the email
    expect(await metric('topicdesk_customers', { state: 'active' })).toBe(1)

    // One 429 on the way to the CS topic, then the message goes through.
    h.sim.failNext({
      method: 'sendMessage',
      chatId: h.world.groups.cs.id,
      times: 1,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    })
    h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text: 'metrics please' })
    await waitForTopicMessage(h, h.world.groups.cs.id, zoe.cs, 'metrics please')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'metrics please')
    await outboxIdle()
    expect(await metric('topicdesk_send_attempts_total', { class: 'live', outcome: 'sent' })).toBe(before.sent + 2)

    expect(await metric('topicdesk_updates_total', { bot: clientBot, outcome: 'handled' })).toBe(before.handled + 1)
    expect(await metric('topicdesk_send_duration_seconds_count', { class: 'live' })).toBe(before.latency + 3) // 2 sent + 1 rate-limited
    expect(await metric('topicdesk_rate_limited_total', { bot: String(h.world.bots.cs.id) })).toBe(before.limited + 1)
    expect(await metric('topicdesk_send_failures_total', { class: 'rate_limited' })).toBe(1)
    expect(await metric('topicdesk_retry_after_seconds_sum')).toBe(1)
    expect(await metric('topicdesk_outbox_rows', { class: 'live', state: 'sent' })).toBeGreaterThanOrEqual(2)
    expect(await metric('topicdesk_process_resident_memory_bytes')).toBeGreaterThan(0)
  })

  it('counts planner deferrals and shows a group backlog in minutes', async () => {
    h = await startHarness({ config: { delivery: { budgets: { groupPerMinute: 2 } } } })
    const csGroup = h.world.groups.cs.id
    for (let i = 0; i < 6; i++) {
      await enqueue(h.database.db, {
        projectId: h.projectId,
        class: 'prompt',
        destination: encodeDestination({ kind: 'chat', chatId: csGroup }),
        botId: h.world.bots.cs.id,
        job: { type: 'text', target: { kind: 'chat', chatId: csGroup }, text: `notice ${i}` },
      })
    }
    h.app.workers.notify()
    await pollUntil(async () => (await metric('topicdesk_planner_deferrals_total', { bot: String(h!.world.bots.cs.id) })) >= 1, { message: 'a deferral counted' })
    // 4 rows left at 2 a minute (one bot): 2 minutes of backlog.
    await pollUntil(async () => (await metric('topicdesk_group_backlog_minutes', { chat: String(csGroup) })) === 2, { message: 'backlog of 2 minutes' })
  })
})
