import { eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { assistantAnswers, assistantJobs, customers, messages, topics } from '../../src/db/schema/index.js'
import { queueSummary } from '../../src/domain/assistant/summaries.js'
import { forgetCustomer } from '../../src/domain/personal-data.js'
import { waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { pollUntil, serviceSettled } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

// Answer mode's guards (review of issue 19): what reaches the prompt, and one answer per question.
const { h, zoe } = useOnboardedZoe({
  openai: { assistant: { timeoutSeconds: 5 } },
  project: {
    assistant: { knowledge: 'test/fixtures/kb/acme', mode: 'answer', answer: { when: 'confident', quietMinutesAfterStaff: 0 }, customerFields: ['firstName'] },
    riskPhrases: [{ name: 'refund-promise', mode: 'block', patterns: ['guaranteed refund'] }],
  },
})

const fromZoe = (text: string) => h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text })
const answerPromptOf = (question: string) =>
  h
    .openai!.chatRequests()
    .map((r) => JSON.stringify(r.body))
    .filter((body) => body.includes(question))
    .at(-1)

describe('answer mode guards', () => {
  it('the prompt holds no internal note; the first name when customerFields lists it, never the email', async () => {
    await h.app.knowledge
    h.sim.sendGroup(h.world.people.alice.id, h.world.groups.cs.id, { text: '// SECRETNOTE she is difficult' }, { threadId: zoe.cs })
    await pollUntil(async () => (await h.database.db.select().from(messages).where(eq(messages.internalNote, true))).length === 1, { message: 'the note stored' })
    const question = 'How long does delivery to the United States take?'
    fromZoe(question)
    await waitForPrivate(h, h.world.people.zoe.id, h.world.bots.client.id, /United States/)
    const prompt = answerPromptOf(question)!
    expect(prompt).toContain('<passage id=')
    expect(prompt).not.toContain('SECRETNOTE')
    expect(prompt).toContain('firstName: Zoe')
    expect(prompt).not.toContain('zoe@example.com')
  })

  it('a job run twice (its lease expired) answers once', async () => {
    const { db } = h.database
    const [job] = await db.select().from(assistantJobs).where(eq(assistantJobs.kind, 'answer'))
    expect(job).toMatchObject({ state: 'done', attempts: 1 })
    await db.execute(sql`UPDATE assistant_jobs SET state = 'running', lease_until = NOW(3) - INTERVAL 1 SECOND WHERE id = ${job!.id}`)
    await pollUntil(async () => (await db.select().from(assistantJobs).where(eq(assistantJobs.id, job!.id)))[0]?.attempts === 2, { message: 'the job ran again' })
    await pollUntil(async () => (await db.select().from(assistantJobs).where(eq(assistantJobs.id, job!.id)))[0]?.state === 'done', { message: 'the job ended again' })
    await serviceSettled(db)
    expect(await db.select().from(assistantAnswers)).toHaveLength(1)
    const answers = h.sim.privateMessages(h.world.people.zoe.id, h.world.bots.client.id).filter((m) => m.from.is_bot && m.text?.includes('United States'))
    expect(answers).toHaveLength(1)
  })

  it('a burst of client messages gets one answer, to the latest', async () => {
    const { db } = h.database
    const before = await db.select().from(assistantAnswers)
    h.openai!.delay(1_000) // the first job is still writing when the second message arrives
    try {
      fromZoe('How long does delivery to Canada take?')
      fromZoe('And how long does delivery to Norway take?')
      const stored = async () => (await db.select().from(messages).where(eq(messages.origin, 'client'))).filter((m) => m.text?.includes('take?'))
      await pollUntil(async () => (await stored()).length === 3, { message: 'both messages stored' })
      const ids = (await stored()).slice(1).map((m) => m.id)
      const jobsOf = async () =>
        (await db.select().from(assistantJobs).where(eq(assistantJobs.kind, 'answer'))).filter((j) =>
          ids.includes((JSON.parse(j.payload) as { messageRowId: number }).messageRowId),
        )
      await pollUntil(async () => (await jobsOf()).length === 2 && (await jobsOf()).every((j) => j.state === 'done'), { message: 'both answer jobs ended', timeoutMs: 15_000 })
      await serviceSettled(db)
      const after = await db.select().from(assistantAnswers)
      expect(after.slice(before.length).map((a) => a.messageRowId)).toEqual([ids[1]])
      const answers = h.sim.privateMessages(h.world.people.zoe.id, h.world.bots.client.id).filter((m) => m.from.is_bot && m.reply_markup)
      expect(answers).toHaveLength(2) // the first question's answer and the burst's one
    } finally {
      h.openai!.delay(0)
    }
  })

  it('an automatic answer with a block risk phrase is not sent; the topic says why', async () => {
    h.openai!.answer(/Switzerland/, 'Delivery takes a week, with a guaranteed refund if it is late.')
    fromZoe('How long does delivery to Switzerland take?')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.text?.includes("The assistant's answer was not sent") === true && m.text.includes('refund-promise'))
    await serviceSettled(h.database.db)
    expect(h.sim.privateMessages(h.world.people.zoe.id, h.world.bots.client.id).filter((m) => m.text?.includes('guaranteed refund'))).toEqual([])
    expect(await h.database.db.select().from(assistantAnswers)).toHaveLength(2)
  })

  it('customer forget erases the payloads of the answer and summary jobs', async () => {
    const { db } = h.database
    const [{ id: customerId }] = (await db.select({ id: customers.id }).from(customers).where(eq(customers.telegramUserId, h.world.people.zoe.id))) as [{ id: number }]
    const [topic] = await db.select().from(topics).where(eq(topics.customerId, customerId))
    const project = h.app.projects.find((p) => p.id === h.projectId)!
    await db.transaction((tx) => queueSummary(tx, project, { customerId, topicId: topic!.id, occasion: 'command' }))
    await forgetCustomer(db, h.projectId, customerId, 'test')
    const jobs = (await db.select().from(assistantJobs)).filter((j) => j.kind === 'answer' || j.kind === 'summary')
    expect(jobs.length).toBeGreaterThanOrEqual(4)
    expect(jobs.map((j) => [j.kind, j.payload])).toEqual(jobs.map((j) => [j.kind, '{}']))
  })
})
