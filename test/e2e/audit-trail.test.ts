import { and, asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { apiKeys, auditEvents, customers } from '../../src/db/schema/index.js'
import { changeOwner } from '../../src/domain/owners/change-owner.js'
import { createApiKey } from '../../src/server/api/api-keys.js'
import type { SimUser } from '../../src/simulator/index.js'
import { auditCli } from '../../src/cli/audit.js'
import { runCli, spawnCli, type CliOutcome } from '../support/cli.js'
import { askInGroup, buttonData, onboard, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { outboxSettled } from '../support/poll.js'
import { lateBound, useHarness } from '../support/suite.js'

/**
 * Issue 18, "Audit trail": real actions through the simulator (an assignment, a transfer, a
 * /delete, a ban, an API write) each leave one typed audit event, written with the change;
 * `/audit` counts them by kind and agent; `npm run audit -- export` writes them as CSV and
 * JSON lines, a cell that starts with `=` escaped.
 */
const benUser = lateBound<SimUser>('Ben')
const h = useHarness({
  prepare: (sim, world) => {
    const user = sim.createUser({ firstName: 'Ben', username: 'ben_cr' })
    sim.addMember(world.groups.north.id, user.id)
    benUser.set(user)
    return { agents: [{ id: user.id, name: 'Ben', projects: { acme: { roles: ['cr'], teams: ['north'] } } }] }
  },
})

/** `npm run audit -- export`, in this process; with `spawned`, as its own process (once: the path every command shares). */
const exportAudit = async (...args: string[]) => succeeded(await runCli(auditCli, ['export', '--project', 'acme', ...args], { DATABASE_URL: h.database.url }))
const spawned = async (...args: string[]) => succeeded(await spawnCli('src/cli/audit.ts', ['export', '--project', 'acme', ...args], { DATABASE_URL: h.database.url }))
/** The command's outcome once it exited 0 (as execFile's promise resolved only then). */
const succeeded = (outcome: CliOutcome): CliOutcome => {
  expect(outcome.code, outcome.stderr).toBe(0)
  return outcome
}

/** A formula a spreadsheet would run: the CSV export must neutralise it. */
const FORMULA = "=cmd|' /C calc'!A0"

describe('audit trail', () => {
  it('records an assignment, a transfer, a delete, a ban and an API write; /audit and the export show them', async () => {
    const { sim, world } = h
    const { db } = h.database
    const north = world.groups.north.id
    const [alice, carol, ben] = [world.people.alice.id, world.people.carol.id, benUser.view.id]
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    await outboxSettled(db)
    const [customer] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.projectId, h.projectId), eq(customers.telegramUserId, world.people.zoe.id)))
    const acme = h.app.projects.find((p) => p.id === h.projectId)!
    // Routing's choice at the onboarding depends on presence: make Carol her owner (one system event either way).
    if (customer!.ownerUserId !== carol) await db.transaction((tx) => changeOwner(tx, acme, customer!.id, { to: carol, by: null, reason: 'routing' }))

    const prompt = await askInGroup(h, carol, north, '/transfer back from holiday', zoe.cr)
    await sim.pressButton(carol, north, prompt.message_id, buttonData(prompt, 'Ben'))
    await waitForTopicMessage(h, north, zoe.cr, (m) => m.text?.startsWith('👤 Owner: Carol → Ben') === true)

    const mistake = sim.sendGroup(ben, north, { text: 'Wrong customer, sorry' }, { threadId: zoe.cr })
    const atClient = await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, 'Wrong customer, sorry')
    sim.sendGroup(ben, north, { text: '/delete' }, { threadId: zoe.cr, replyTo: mistake.message_id })
    await sim.waitFor(() => sim.privateMessages(world.people.zoe.id, world.bots.client.id, { includeDeleted: true }).find((m) => m.message_id === atClient.message_id && m.deleted))

    const { key, publicId } = await createApiKey(db, { projectId: h.projectId, name: 'crm' })
    const [{ id: keyId }] = (await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.publicId, publicId))) as [{ id: number }]
    const written = await fetch(`http://127.0.0.1:${h.app.adminPort}/api/v1/projects/acme/customers/${customer!.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ staffId: ben, text: FORMULA }),
    })
    expect(written.status).toBe(201)

    await askInGroup(h, alice, world.groups.cs.id, '/ban', zoe.cs)

    const events = await db.select().from(auditEvents).where(eq(auditEvents.projectId, h.projectId)).orderBy(asc(auditEvents.id))
    const messageRow = (JSON.parse(events.find((e) => e.kind === 'api_write')!.details) as { messageRowId: number }).messageRowId
    const deletedRow = (JSON.parse(events.find((e) => e.kind === 'delete')!.details) as { messageRowId: number }).messageRowId
    expect(
      events.map(({ kind, actorUserId, apiKeyId, customerId, details, text }) => ({ kind, actorUserId, apiKeyId, customerId, details: JSON.parse(details) as unknown, text })),
    ).toEqual([
      {
        kind: 'assignment',
        actorUserId: alice,
        apiKeyId: null,
        customerId: customer!.id,
        details: { action: 'onboarded', reason: 'onboarding card', toTeam: 'north' },
        text: null,
      },
      ...events.slice(1, -4).map((): unknown => expect.objectContaining({ kind: 'assignment', actorUserId: null })),
      { kind: 'transfer', actorUserId: carol, apiKeyId: null, customerId: customer!.id, details: { fromOwner: carol, toOwner: ben }, text: 'back from holiday' },
      { kind: 'delete', actorUserId: ben, apiKeyId: null, customerId: customer!.id, details: { messageRowId: deletedRow, authorUserId: ben }, text: 'Wrong customer, sorry' },
      { kind: 'api_write', actorUserId: ben, apiKeyId: keyId, customerId: customer!.id, details: { route: 'message', messageRowId: messageRow }, text: FORMULA },
      { kind: 'ban', actorUserId: alice, apiKeyId: null, customerId: customer!.id, details: { reason: 'command' }, text: null },
    ])
    // Routing's owner change (the system).
    expect(events).toHaveLength(6)

    const summary = await askInGroup(h, alice, world.groups.cs.id, '/audit')
    expect(summary.text).toBe(
      ['🧾 Audit, last 7 day(s): 6 change(s)', 'By kind: assignments 2 · API writes 1 · bans 1 · deletes 1 · transfers 1', 'By agent: Alice 2 · Ben 2 · Carol 1 · system 1'].join(
        '\n',
      ),
    )
    expect((await askInGroup(h, world.people.bob.id, world.groups.cs.id, '/audit 3')).text).toBe('Only CS leads can see the audit trail.')
    expect((await askInGroup(h, alice, world.groups.cs.id, '/audit soon')).text).toBe('Use /audit or /audit <days> (1 to 365).')

    const [yesterday, today] = [Date.now() - 24 * 3600_000, Date.now()].map((t) => new Date(t).toISOString().slice(0, 10)) as [string, string]
    const csv = await spawned('--from', yesterday, '--to', today)
    const lines = csv.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('id,time,project,kind,actor_user_id,api_key_id,customer_id,details,text')
    expect(lines).toHaveLength(events.length + 1)
    const api = events.find((e) => e.kind === 'api_write')!
    expect(lines).toContain(
      `${api.id},${api.createdAt.toISOString()},acme,api_write,${ben},${keyId},${customer!.id},"{""route"":""message"",""messageRowId"":${messageRow}}",'${FORMULA}`,
    )
    const transfer = events.find((e) => e.kind === 'transfer')!
    expect(lines).toContain(
      `${transfer.id},${transfer.createdAt.toISOString()},acme,transfer,${carol},,${customer!.id},"{""fromOwner"":${carol},""toOwner"":${ben}}",back from holiday`,
    )

    const jsonl = await exportAudit('--from', yesterday, '--to', today, '--format', 'jsonl')
    const records = jsonl.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(records.map((r) => r.kind)).toEqual(events.map((e) => e.kind))
    expect(records.find((r) => r.kind === 'api_write')).toEqual({
      id: api.id,
      time: api.createdAt.toISOString(),
      project: 'acme',
      kind: 'api_write',
      actor_user_id: ben,
      api_key_id: keyId,
      customer_id: customer!.id,
      details: { route: 'message', messageRowId: messageRow },
      text: FORMULA,
    })
    // A period before any of it: nothing.
    expect((await exportAudit('--from', '2020-01-01', '--to', '2020-01-31')).stdout).toBe('id,time,project,kind,actor_user_id,api_key_id,customer_id,details,text\n')
  })
})
