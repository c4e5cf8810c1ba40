import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { defineAssistantJob } from '../../src/assistant/jobs/index.js'
import { assistantJobs, customers } from '../../src/db/schema/index.js'
import { forgetCustomer } from '../../src/domain/personal-data.js'
import { queueAssistantJob } from '../../src/domain/assistant/jobs.js'
import type { AssistantTrigger } from '../../src/domain/assistant/triggers.js'
import { ShiftedClock } from '../../src/domain/clock.js'
import { waitForTopicMessage } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

/** A test-only job kind: asks the provider about the message and records its answer. */
const echo = defineAssistantJob<{ text: string; origin: string }>('test_echo', async ({ provider }, payload) => {
  const answer = await provider.chat({ purpose: 'suggest', messages: [{ role: 'user', content: payload.text }] })
  return { answer: answer.text, origin: payload.origin }
})
/** A test-only trigger: one echo job per relayed message, queued in the relay's transaction. */
const echoEveryMessage: AssistantTrigger = (tx, _clock, project, event) =>
  queueAssistantJob(tx, project, { kind: 'test_echo', customerId: event.customer.id, payload: { text: event.stored.text ?? '', origin: event.kind } }).then(() => undefined)

const clock = new ShiftedClock()
const { h, zoe } = useOnboardedZoe({
  openai: { flavour: 'ollama', assistant: { timeoutSeconds: 3 } },
  start: { assistantJobs: [echo], assistantTriggers: [echoEveryMessage], clock },
})

async function jobOf(text: string) {
  const rows = await h.database.db.select().from(assistantJobs)
  return rows.find((row) => (JSON.parse(row.payload) as { text: string }).text === text)
}
async function jobEnded(text: string) {
  await pollUntil(async () => ['done', 'failed'].includes((await jobOf(text))?.state ?? ''), { message: `the job of "${text}" ended` })
  return (await jobOf(text))!
}
const alarmsIn = (chatId: number, threadId: number) => h.sim.chatMessages(chatId, { threadId }).filter((m) => m.text?.startsWith('🤖 Assistant alarm'))

describe('assistant jobs', () => {
  it('a client message and a staff reply each queue a job in the relay transaction; the worker runs it against the provider and records the result', async () => {
    const { sim, world } = h
    h.openai!.answer('parcel', 'Your parcel left the warehouse.')
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'where is my parcel?' })
    const job = await jobEnded('where is my parcel?')
    expect(job).toMatchObject({ state: 'done', outcome: 'done', kind: 'test_echo', projectId: h.projectId })
    expect(JSON.parse(job.result!)).toEqual({ answer: 'Your parcel left the warehouse.', origin: 'client_message' })
    expect(h.openai!.chatRequests().at(-1)!.body?.messages).toEqual([{ role: 'user', content: 'where is my parcel?' }])

    sim.sendGroup(world.people.alice.id, world.groups.cs.id, { text: 'it arrives tomorrow' }, { threadId: zoe.cs })
    const staffJob = await jobEnded('it arrives tomorrow')
    expect(JSON.parse(staffJob.result!)).toEqual({ answer: "I don't know.", origin: 'staff_message' })
  })

  it('a slow provider: the copy arrives while the call still runs; the job records a timeout; one alarm per hour to the leads', async () => {
    const { sim, world } = h
    const cs = world.groups.cs.id
    const onboarding = sim.topics(cs).find((t) => t.name === 'Onboarding')!
    h.openai!.delay(10_000)
    const sentAt = Date.now()
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'slow one' })
    await waitForTopicMessage(h, cs, zoe.cs, 'slow one')
    const relayedIn = Date.now() - sentAt
    // The relay did not wait for the provider: the job has not ended yet.
    expect((await jobOf('slow one'))?.state).not.toBe('failed')
    expect(relayedIn).toBeLessThan(3_000)
    const job = await jobEnded('slow one')
    expect(job).toMatchObject({ state: 'failed', outcome: 'timeout' })
    await waitForTopicMessage(h, cs, onboarding.message_thread_id, '🤖 Assistant alarm')

    // Rate-limited within the hour: the job ends, no second alarm.
    h.openai!.delay(0)
    h.openai!.rateLimit(3, 0)
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'limited two' })
    expect(await jobEnded('limited two')).toMatchObject({ outcome: 'rate_limited' })
    // The next hour, one more.
    h.openai!.fail(500, 3)
    clock.advance(61 * 60_000)
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'failing three' })
    expect(await jobEnded('failing three')).toMatchObject({ outcome: 'failed' })
    await pollUntil(() => Promise.resolve(alarmsIn(cs, onboarding.message_thread_id).length === 2), { message: 'a second alarm after an hour' })
    expect(alarmsIn(cs, onboarding.message_thread_id).map((m) => m.text)).toEqual([
      expect.stringContaining('did not answer in time'),
      expect.stringContaining('answers with errors'),
    ])
    const rows = await h.database.db.select().from(assistantJobs).where(eq(assistantJobs.state, 'failed'))
    expect(rows.map((r) => r.outcome).sort()).toEqual(['failed', 'rate_limited', 'timeout'])
    // The metrics: calls by outcome, tokens of the calls that answered, their latency.
    const metrics = await h.app.metrics.registry.metrics()
    const key = h.config.projects[0]!.key
    expect(metrics).toContain(`topicdesk_assistant_requests_total{project="${key}",purpose="suggest",outcome="ok"} 2`)
    expect(metrics).toContain(`topicdesk_assistant_requests_total{project="${key}",purpose="suggest",outcome="timeout"} 1`)
    expect(metrics).toContain(`topicdesk_assistant_requests_total{project="${key}",purpose="suggest",outcome="failed"} 1`)
    expect(metrics).toContain(`topicdesk_assistant_requests_total{project="${key}",purpose="suggest",outcome="rate_limited"} 1`)
    expect(metrics).toMatch(new RegExp(`topicdesk_assistant_tokens_total\\{project="${key}"\\} [1-9]`))
    expect(metrics).toContain(`topicdesk_assistant_request_seconds_count{project="${key}",purpose="suggest"} 5`)
  })

  it('customer forget erases the payloads and results of their assistant jobs', async () => {
    const [customer] = await h.database.db.select().from(customers).where(eq(customers.telegramUserId, h.world.people.zoe.id))
    const report = await forgetCustomer(h.database.db, h.projectId, customer!.id, 'test')
    expect(report).toBeDefined()
    const rows = await h.database.db.select().from(assistantJobs).where(eq(assistantJobs.customerId, customer!.id))
    expect(rows.length).toBeGreaterThanOrEqual(5)
    for (const row of rows) expect([row.payload, row.result]).toEqual(['{}', null])
  })
})
