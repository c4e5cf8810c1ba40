import { eq, ne } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { outbox, relayLinks, topics as topicRows } from '../../src/db/schema/index.js'
import { listDeadLetters, retryDeadLetter } from '../../src/delivery/dead-letters.js'
import { encodeDestination } from '../../src/delivery/destination.js'
import { claimJobs, defer, enqueue, markDead, markSent, recordCopySent, releaseExpiredLeases, reschedule } from '../../src/delivery/outbox.js'
import { createDatabase } from '../../src/db/client.js'
import { startOutboxHarness, type OutboxHarness } from '../support/outbox-harness.js'
import { createQueryRecorder } from '../support/query-recorder.js'
import { outboxIdle, outboxSettled, pollUntil } from '../support/poll.js'

let h: OutboxHarness
afterEach(async () => h?.stop())

const textsIn = (chatId: number, threadId?: number) =>
  h.sim
    .chatMessages(chatId, { threadId })
    .filter((m) => m.from.is_bot && m.kind === 'text')
    .map((m) => m.text!)
const row = async (id: number) => (await h.database.db.select().from(outbox).where(eq(outbox.id, id)))[0]!
async function rowInState(id: number, state: string) {
  await pollUntil(async () => (await row(id)).state === state, { message: `row ${id} never reached ${state}` })
  return row(id)
}

describe('outbox claiming and order', () => {
  it('shares a class between two worker sets without double sends, in order per destination', async () => {
    h = await startOutboxHarness()
    const a = h.startWorkers()
    const b = h.startWorkers()
    const destinations = await Promise.all([0, 1, 2, 3].flatMap((g) => [h.topic(g, `A${g}`), h.topic(g, `B${g}`)]))
    for (let i = 0; i < 15; i++) for (const d of destinations) await h.text({ kind: 'topic', topicId: d.topicId }, `msg ${i}`)
    for (const d of destinations) {
      await h.sim.waitFor(() => textsIn(d.chatId, d.threadId).length >= 15)
      expect(textsIn(d.chatId, d.threadId)).toEqual(Array.from({ length: 15 }, (_, i) => `msg ${i}`))
    }
    const rows = await h.database.db.select().from(outbox)
    for (const r of rows) await rowInState(r.id, 'sent')
    expect((await h.database.db.select().from(outbox)).every((r) => r.attempts === 1)).toBe(true)
    expect(h.sim.stats().calls.sendMessage).toBe(destinations.length * 15)
    await Promise.all([a.stop(), b.stop()])
  })

  it('holds back later rows of a destination while one waits for its retry, and only that destination', async () => {
    h = await startOutboxHarness()
    h.startWorkers()
    const slow = await h.topic(0, 'slow')
    const fast = await h.topic(1, 'fast')
    h.sim.failNext({ method: 'sendMessage', chatId: slow.chatId, times: 2, error_code: 502, description: 'Bad Gateway' })
    const first = await h.text({ kind: 'topic', topicId: slow.topicId }, 'slow 1')
    await h.text({ kind: 'topic', topicId: slow.topicId }, 'slow 2')
    await h.text({ kind: 'topic', topicId: fast.topicId }, 'fast 1')
    await h.sim.waitFor(() => textsIn(fast.chatId, fast.threadId).length === 1)
    expect(textsIn(slow.chatId, slow.threadId)).toEqual([])
    await h.sim.waitFor(() => textsIn(slow.chatId, slow.threadId).length === 2)
    expect(textsIn(slow.chatId, slow.threadId)).toEqual(['slow 1', 'slow 2'])
    expect(await rowInState(first, 'sent')).toMatchObject({ attempts: 3, lastError: 'sendMessage: 502 Bad Gateway' })
  })

  it('keeps order when whole batches for a destination commit while workers are claiming', async () => {
    h = await startOutboxHarness()
    h.startWorkers()
    h.startWorkers()
    const destinations = await Promise.all([0, 1, 2].map((g) => h.topic(g, `Burst ${g}`)))
    // Like a history replay: each transaction queues a run of rows per destination at once.
    for (let batch = 0; batch < 6; batch++) {
      await h.database.db.transaction(async (tx) => {
        for (const d of destinations) {
          for (let i = 0; i < 10; i++) {
            const target = { kind: 'topic' as const, topicId: d.topicId }
            await enqueue(tx, {
              projectId: h.projectId,
              class: 'replay',
              destination: encodeDestination(target),
              botId: h.bots[0]!.id,
              job: { type: 'text', target, text: `b${batch}-${i}` },
            })
          }
        }
      })
      // The next batch commits once the workers are claiming this one.
      await pollUntil(async () => (await h.database.db.select({ id: outbox.id }).from(outbox).where(ne(outbox.state, 'pending'))).length > batch * 30)
    }
    const expected = Array.from({ length: 60 }, (_, n) => `b${Math.floor(n / 10)}-${n % 10}`)
    for (const d of destinations) {
      await h.sim.waitFor(() => textsIn(d.chatId, d.threadId).length >= 60)
      expect(textsIn(d.chatId, d.threadId)).toEqual(expected)
    }
  })
})

describe('leases', () => {
  it('renews the lease of a row while its send is in progress, so no other worker sends it again', async () => {
    h = await startOutboxHarness()
    h.startWorkers({ leaseSeconds: 2 })
    h.startWorkers({ leaseSeconds: 2 })
    const t = await h.topic(0, 't')
    // A send that takes 2.5 leases (a large upload, say).
    h.sim.setLatency({ methods: { sendMessage: 5000 } })
    const id = await h.text({ kind: 'topic', topicId: t.topicId }, 'slow but once')
    await pollUntil(async () => (await row(id)).state === 'sent', { timeoutMs: 10_000 }).catch(() => undefined)
    expect(await row(id)).toMatchObject({ state: 'sent', attempts: 1 })
    h.sim.setLatency(false)
    await outboxSettled(h.database.db)
    expect(textsIn(t.chatId, t.threadId)).toEqual(['slow but once'])
  })
})

describe('claim tokens', () => {
  it('keeps a worker whose lease ran out, and whose row was claimed again, from writing over the new claim', async () => {
    h = await startOutboxHarness()
    const { db } = h.database
    const id = await h.text({ kind: 'chat', chatId: h.groups[0]!.id }, 'claimed twice')
    // The first claim's lease runs out at once (a worker stalled mid-send), and the housekeeping puts the row back in line.
    const [stale] = await claimJobs(db, 'live', 8, 0)
    expect(stale?.id).toBe(id)
    await pollUntil(async () => (await releaseExpiredLeases(db)) === 1, { message: 'the first lease never ran out' })
    const [fresh] = await claimJobs(db, 'live', 8, 60)
    expect(fresh?.id).toBe(id)
    const claimedAgain = await row(id)
    // Every write the stale worker could make after its send or failure leaves the new claim alone.
    await markSent(db, stale!, { messageId: 1 })
    await reschedule(db, stale!, 0, 'stale retry')
    await defer(db, stale!, 0)
    await markDead(db, stale!, 'stale failure')
    const [link] = await db.insert(relayLinks).values({ projectId: h.projectId, messageId: 1, chatId: h.groups[0]!.id, botId: h.bots[0]!.id, kind: 'relay' })
    const copy = { linkId: Number(link.insertId), copyMessageId: 77, threadId: null, botId: h.bots[0]!.id }
    expect(await recordCopySent(db, stale!, copy, { messageId: 77 })).toBe(false)
    expect(await row(id)).toEqual(claimedAgain)
    // The claim that holds the row records its copy.
    expect(await recordCopySent(db, fresh!, copy, { messageId: 77 })).toBe(true)
    expect(await row(id)).toMatchObject({ state: 'sent', result: JSON.stringify({ messageId: 77 }) })
  })

  it('records copies sent at the same time in one statement, each only while its own claim holds its row', async () => {
    h = await startOutboxHarness()
    const recorder = createQueryRecorder()
    const handle = createDatabase(h.database.url, { poolSize: 2, readCommitted: true, queryLogger: recorder })
    try {
      const { db } = handle
      const ids = await Promise.all([0, 1, 2, 3].map((g) => h.text({ kind: 'chat', chatId: h.groups[g]!.id }, `copy ${g}`)))
      const claims = await claimJobs(db, 'live', 8, 60)
      expect(claims.map((c) => c.id).sort()).toEqual([...ids].sort())
      const links = await Promise.all(
        claims.map(async () =>
          Number((await db.insert(relayLinks).values({ projectId: h.projectId, messageId: 1, chatId: h.groups[0]!.id, botId: h.bots[0]!.id, kind: 'relay' }))[0].insertId),
        ),
      )
      // The last claim lost its row (a stale worker's token): its record must write nothing.
      const claimOf = (i: number) => (i === 3 ? { id: claims[i]!.id, token: 'stale' } : claims[i]!)
      recorder.statements.length = 0
      const recorded = await Promise.all(
        claims.map((_, i) =>
          recordCopySent(db, claimOf(i), { linkId: links[i]!, copyMessageId: 100 + i, threadId: i === 0 ? null : 7, botId: h.bots[0]!.id }, { messageId: 100 + i }),
        ),
      )
      expect(recorded).toEqual([true, true, true, false])
      // The first alone (nothing else was waiting), the other three together, and a read of which the batch wrote (one was stale).
      expect(recorder.statements.filter((s) => /^\s*UPDATE \(SELECT/.test(s))).toHaveLength(2)
      expect(recorder.statements).toHaveLength(3)
      for (const [i, claim] of claims.entries())
        expect(await row(claim.id)).toMatchObject(i === 3 ? { state: 'sending' } : { state: 'sent', result: JSON.stringify({ messageId: 100 + i }) })
      const written = await Promise.all(links.map(async (id) => (await db.select().from(relayLinks).where(eq(relayLinks.id, id)))[0]!))
      expect(written.map((l) => [l.copyMessageId, l.threadId])).toEqual([
        [100, null],
        [101, 7],
        [102, 7],
        [null, null],
      ])
    } finally {
      await handle.close()
    }
  })
})

describe('failure classes', () => {
  it('reschedules a 429 at retry_after without counting it as lost', async () => {
    h = await startOutboxHarness()
    h.startWorkers()
    const t = await h.topic(0, 't')
    h.sim.failNext({ method: 'sendMessage', times: 1, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } })
    const started = Date.now()
    const id = await h.text({ kind: 'topic', topicId: t.topicId }, 'after the storm')
    await h.sim.waitFor(() => textsIn(t.chatId, t.threadId).includes('after the storm'))
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(await rowInState(id, 'sent')).toMatchObject({ lastError: 'sendMessage: 429 Too Many Requests: retry after 1' })
  })

  it('re-sends as plain text when entities do not parse, and without the reply when the target is gone', async () => {
    h = await startOutboxHarness()
    h.startWorkers()
    const t = await h.topic(0, 't')
    h.sim.failNext({ method: 'sendMessage', times: 1, error_code: 400, description: "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 0" })
    await h.text({ kind: 'topic', topicId: t.topicId }, 'bold claim', { entities: [{ type: 'bold', offset: 0, length: 4 }] })
    const plain = await h.sim.waitFor(() => h.sim.chatMessages(t.chatId, { threadId: t.threadId }).find((m) => m.text === 'bold claim'))
    expect(plain.entities ?? []).toEqual([])
    h.sim.failNext({ method: 'sendMessage', times: 1, error_code: 400, description: 'Bad Request: message to be replied not found' })
    await h.text({ kind: 'topic', topicId: t.topicId }, 'orphan reply', { replyTo: { messageId: 999_999 } })
    const orphan = await h.sim.waitFor(() => h.sim.chatMessages(t.chatId, { threadId: t.threadId }).find((m) => m.text === 'orphan reply'))
    expect(orphan.reply_to_message_id).toBeUndefined()
  })

  it('splits a message that is too long at paragraph boundaries', async () => {
    h = await startOutboxHarness()
    h.startWorkers()
    const t = await h.topic(0, 't')
    const paragraph = 'lorem ipsum '.repeat(300).trim()
    await h.text({ kind: 'topic', topicId: t.topicId }, [paragraph, paragraph, paragraph].join('\n\n'))
    await h.sim.waitFor(() => textsIn(t.chatId, t.threadId).length === 3)
    const parts = textsIn(t.chatId, t.threadId)
    expect(parts.every((p) => p.length <= 4096)).toBe(true)
    expect(parts.join('')).toBe([paragraph, paragraph, paragraph].join('\n\n'))
  })

  it('resumes a split text from the part that failed, not from the first', async () => {
    h = await startOutboxHarness()
    h.startWorkers()
    const t = await h.topic(0, 't')
    const paragraphs = ['alpha ', 'beta ', 'gamma '].map((word) => word.repeat(600).trim())
    h.sim.failNext({ method: 'sendMessage', chatId: t.chatId, after: 1, times: 1, error_code: 502, description: 'Bad Gateway' })
    const callsBefore = h.sim.stats().calls.sendMessage ?? 0
    const id = await h.text({ kind: 'topic', topicId: t.topicId }, paragraphs.join('\n\n'))
    const sent = await rowInState(id, 'sent')
    expect(sent.attempts).toBe(2)
    const parts = textsIn(t.chatId, t.threadId)
    expect(parts).toHaveLength(3)
    expect(parts.join('')).toBe(paragraphs.join('\n\n'))
    expect((h.sim.stats().calls.sendMessage ?? 0) - callsBefore).toBe(4)
    // The row's result names the first part, the message that stands for the whole text.
    const first = h.sim.chatMessages(t.chatId, { threadId: t.threadId }).find((m) => m.text === parts[0])!
    expect(JSON.parse(sent.result!)).toMatchObject({ messageId: first.message_id })
  })

  it('treats "message is not modified" as success', async () => {
    h = await startOutboxHarness()
    h.startWorkers()
    const sent = await h.gateway.api(h.bots[0]!.id).sendMessage(h.groups[0]!.id, 'same text')
    const id = await h.queue({ kind: 'chat', chatId: h.groups[0]!.id }, { type: 'edit_text', chatId: h.groups[0]!.id, messageId: sent.message_id, text: 'same text' })
    expect(await rowInState(id, 'sent')).toMatchObject({ result: JSON.stringify({ notModified: true }) })
  })

  it('moves a row to the dead letter list after its attempts, and a retry delivers it', async () => {
    h = await startOutboxHarness()
    h.startWorkers({ maxAttempts: 2 })
    const t = await h.topic(0, 't')
    h.sim.failNext({ method: 'sendMessage', chatId: t.chatId, times: 2, error_code: 500, description: 'Internal Server Error' })
    const id = await h.text({ kind: 'topic', topicId: t.topicId }, 'eventually')
    await rowInState(id, 'dead')
    const dead = await listDeadLetters(h.database.db, { projectId: h.projectId })
    expect(dead).toEqual([expect.objectContaining({ id, jobType: 'text', attempts: 2, lastError: 'out of attempts: sendMessage: 500 Internal Server Error' })])
    expect(await retryDeadLetter(h.database.db, id)).toBe(true)
    expect(await retryDeadLetter(h.database.db, id)).toBe(false)
    await h.sim.waitFor(() => textsIn(t.chatId, t.threadId).includes('eventually'))
  })

  it('records a permanent error once and never retries it', async () => {
    h = await startOutboxHarness()
    h.startWorkers()
    const t = await h.topic(0, 't')
    h.sim.removeMember(t.chatId, h.bots[0]!.id)
    const id = await h.text({ kind: 'topic', topicId: t.topicId }, 'into the void')
    expect(await rowInState(id, 'dead')).toMatchObject({ attempts: 1 })
    expect((await row(id)).lastError).toMatch(/403 Forbidden: bot (was kicked|is not a member)/)
  })

  it('reopens a closed topic and recreates a deleted one, then delivers the message', async () => {
    h = await startOutboxHarness()
    h.startWorkers()
    const t = await h.topic(0, 'Customer · ACC-1')
    // Telegram lets a bot with can_manage_topics post in a closed topic: the message goes in, the topic stays closed.
    h.sim.closeTopicByHand(t.chatId, t.threadId)
    await h.text({ kind: 'topic', topicId: t.topicId }, 'into the closed topic')
    await h.sim.waitFor(() => textsIn(t.chatId, t.threadId).includes('into the closed topic'))
    expect(h.sim.topics(t.chatId).find((x) => x.message_thread_id === t.threadId)?.closed).toBe(true)
    // Where closed topics refuse the bot (TOPIC_CLOSED), the delivery reopens the topic and sends again.
    h.sim.setClosedTopicsRefuseAll(t.chatId)
    await h.text({ kind: 'topic', topicId: t.topicId }, 'after closing')
    await h.sim.waitFor(() => textsIn(t.chatId, t.threadId).includes('after closing'))
    expect(h.sim.topics(t.chatId).find((x) => x.message_thread_id === t.threadId)?.closed).toBe(false)
    expect((await h.database.db.select().from(topicRows).where(eq(topicRows.id, t.topicId)))[0]?.state).toBe('open')
    h.sim.deleteTopicByHand(t.chatId, t.threadId)
    await h.text({ kind: 'topic', topicId: t.topicId }, 'after deleting')
    const replacement = await h.sim.waitFor(() => h.sim.topics(t.chatId).find((x) => x.name === 'Customer · ACC-1' && !x.deleted && x.message_thread_id !== t.threadId))
    await h.sim.waitFor(() => textsIn(t.chatId, replacement.message_thread_id).includes('after deleting'))
  })
})

describe('topic changes', () => {
  it('reopens a topic closed by hand, leaving its recorded state to the domain that queued the reopen', async () => {
    h = await startOutboxHarness()
    h.startWorkers()
    const t = await h.topic(0, 'Customer · ACC-2')
    h.sim.closeTopicByHand(t.chatId, t.threadId)
    // The domain records "open" when it queues the reopen; here a close was recorded since (a quick
    // /resolve): the send must not undo it.
    await h.database.db.update(topicRows).set({ state: 'closed' }).where(eq(topicRows.id, t.topicId))
    const id = await h.queue({ kind: 'topic', topicId: t.topicId }, { type: 'reopen_topic', topicId: t.topicId })
    await rowInState(id, 'sent')
    expect(h.sim.topics(t.chatId).find((x) => x.message_thread_id === t.threadId)?.closed).toBe(false)
    expect((await h.database.db.select().from(topicRows).where(eq(topicRows.id, t.topicId)))[0]?.state).toBe('closed')
  })
})

describe('rate budgets and bot pools', () => {
  it('keeps within the group budget without a single 429, spreading new messages over the pool', async () => {
    const limits = { privatePerSecond: 1, privateBurst: 3, groupPerMinute: 4, globalPerSecond: 30 }
    h = await startOutboxHarness({ pool: 3, simulator: { rateLimits: limits } })
    h.startWorkers({ budgets: limits })
    const topics = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => h.topic(0, `T${i}`)))
    for (const t of topics) for (let i = 0; i < 3; i++) await h.text({ kind: 'topic', topicId: t.topicId }, `${t.topicId}-${i}`)
    // 18 messages into one group, 4 per bot per minute: the pool delivers 12 now, the rest waits.
    await h.sim.waitFor(() => h.sim.chatMessages(h.groups[0]!.id).filter((m) => m.kind === 'text').length === 12)
    await outboxIdle(h.database.db)
    const sent = h.sim.chatMessages(h.groups[0]!.id).filter((m) => m.kind === 'text')
    expect(sent).toHaveLength(12)
    const perBot = new Map<number, number>()
    for (const m of sent) perBot.set(m.from.id, (perBot.get(m.from.id) ?? 0) + 1)
    expect([...perBot.values()]).toEqual([4, 4, 4])
    expect(h.sim.stats().rateLimited).toBe(0)
    // Waiting rows are deferred, not failed: they keep their attempt budget.
    const waiting = (await h.database.db.select().from(outbox)).filter((r) => r.state === 'pending')
    expect(waiting.length).toBe(6)
    const summary = JSON.stringify(waiting.map((r) => [r.id, r.attempts, r.nextAttemptAt]))
    expect(
      waiting.every((r) => r.attempts === 0),
      summary,
    ).toBe(true)
    expect(
      waiting.some((r) => r.nextAttemptAt.getTime() > Date.now() + 30_000),
      summary,
    ).toBe(true)
  })

  it('counts each part of a split text against the budget', async () => {
    const limits = { privatePerSecond: 1, privateBurst: 3, groupPerMinute: 4, globalPerSecond: 30 }
    h = await startOutboxHarness({ simulator: { rateLimits: limits } })
    h.startWorkers({ budgets: limits })
    const t = await h.topic(0, 'T')
    const long = ['alpha ', 'beta ', 'gamma '].map((word) => word.repeat(600).trim()).join('\n\n')
    await h.text({ kind: 'topic', topicId: t.topicId }, long)
    await h.text({ kind: 'topic', topicId: t.topicId }, 'fourth')
    await h.text({ kind: 'topic', topicId: t.topicId }, 'fifth')
    // 3 parts + 1 fill the budget of 4; the fifth waits for the next minute instead of meeting a 429.
    await h.sim.waitFor(() => textsIn(t.chatId, t.threadId).length === 4)
    await outboxIdle(h.database.db)
    expect(textsIn(t.chatId, t.threadId).slice(3)).toEqual(['fourth'])
    expect(h.sim.stats().rateLimited).toBe(0)
  })
})
