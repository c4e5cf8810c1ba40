import { count, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { customerCli } from '../../src/cli/customer.js'
import { auditLog, customers, fileCache, messages, updates } from '../../src/db/schema/index.js'
import { waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'
import { outboxSettled, pollUntil } from '../support/poll.js'
import { runCli, spawnCli } from '../support/cli.js'

const { h, zoe } = useOnboardedZoe()

const run = (...args: string[]) => runCli(customerCli, args, { DATABASE_URL: h.database.url })

describe('personal data: npm run customer -- export / forget', () => {
  it('exports everything stored about a customer, then erases their content and keeps anonymous rows', async () => {
    const { sim, world } = h
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'My card number is 4111 1111' })
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { photo: { bytes: Buffer.from('passport scan') }, caption: 'my passport' })
    await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'my passport')
    await outboxSettled(h.database.db)
    const [zoeRow] = await h.database.db.select().from(customers).where(eq(customers.telegramUserId, world.people.zoe.id))
    const id = zoeRow!.id
    // The photo went to two topics through the CS and CR bots: each cached the source file.
    await pollUntil(async () => (await h.database.db.select({ n: count() }).from(fileCache))[0]!.n > 0)

    // As its own process, as `npm run customer` runs it: the JSON on stdout, exit code 0.
    const exportedByProcess = await spawnCli('src/cli/customer.ts', ['export', 'zoe@example.com', '--project', h.world.project.key], { DATABASE_URL: h.database.url })
    expect(exportedByProcess.code).toBe(0)
    const exported = JSON.parse(exportedByProcess.stdout) as Record<string, unknown> & {
      customer: { id: number; firstName: string }
      account: { email: string }
      messages: Array<{ text: string | null; raw: { caption?: string } }>
      topics: unknown[]
      relayLinks: unknown[]
      assignmentLog: unknown[]
      unansweredWait: { customerId: number; messageRowId: number | null } | null
      auditLog: unknown[]
      updates: unknown[]
    }
    expect(exported.customer).toMatchObject({ id, firstName: 'Zoe' })
    expect(exported.account.email).toBe('zoe@example.com')
    expect(exported.messages.map((m) => m.text)).toEqual(expect.arrayContaining(['My card number is 4111 1111', 'my passport']))
    expect(exported.messages.find((m) => m.text === 'my passport')!.raw.caption).toBe('my passport')
    expect(exported.topics).toHaveLength(2)
    expect(exported.relayLinks.length).toBeGreaterThanOrEqual(4)
    // Onboarded into CR North, then given an owner there by routing.
    expect((exported.assignmentLog as Array<{ action: string }>).map((row) => row.action)).toEqual(['onboarded', 'owner_changed'])
    // Her messages, unanswered, wait for a staff answer since the first one.
    expect(exported.unansweredWait).toMatchObject({ customerId: id, messageRowId: expect.any(Number) as number })
    expect(JSON.stringify(exported.updates)).toContain('4111 1111')
    expect(JSON.stringify(exported.auditLog)).toContain('assigned')

    const stored = (await h.database.db.select({ n: count() }).from(messages).where(eq(messages.customerId, id)))[0]!.n
    const forgot = await run('forget', String(id), '--project', h.world.project.key)
    expect(forgot.code).toBe(0)
    expect(forgot.stderr).toMatch(/forgotten: \d+ message\(s\) erased, [1-9]\d* cached file\(s\) dropped/)
    const after = await h.database.db.select().from(messages).where(eq(messages.customerId, id))
    expect(after).toHaveLength(stored)
    expect(after.every((m) => m.text === null && !m.raw.includes('4111') && !m.raw.includes('passport'))).toBe(true)
    expect((await h.database.db.select({ n: count() }).from(fileCache))[0]!.n).toBe(0)
    const storedUpdates = await h.database.db.select().from(updates).where(eq(updates.botId, world.bots.client.id))
    expect(storedUpdates.some((u) => u.payload.includes('4111') || u.payload.includes('Zoe'))).toBe(false)
    const [forgotten] = await h.database.db.select().from(customers).where(eq(customers.id, id))
    expect(forgotten).toMatchObject({ firstName: '', lastName: null, username: null, state: 'active' })
    const actions = (await h.database.db.select().from(auditLog).where(eq(auditLog.customerId, id))).map((a) => a.action)
    expect(actions).toEqual(expect.arrayContaining(['customer_exported', 'customer_forgotten']))
    // The export after the erasure holds no trace of the content.
    const { code, stdout: again } = await run('export', String(id), '--project', h.world.project.key)
    expect(code).toBe(0)
    expect(again).not.toContain('4111')
    expect(again).not.toContain('my passport')
  })

  it('refuses an unknown customer or project, and a missing --project', async () => {
    expect(await run('export', 'nobody@example.com', '--project', h.world.project.key)).toMatchObject({ code: 1, stderr: expect.stringContaining('No customer') })
    expect(await run('forget', '1', '--project', 'nope')).toMatchObject({ code: 2, stderr: expect.stringContaining('No project "nope"') })
    expect(await run('export', '1')).toMatchObject({ code: 2, stderr: expect.stringContaining('usage:') })
  })
})
