import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { apiKeys, assignments, auditEvents, customers } from '../../src/db/schema/index.js'
import { createApiKey } from '../../src/server/api/api-keys.js'
import { waitForPrivate, waitForTopic, waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'
import { pollUntil } from '../support/poll.js'

const { h, zoe } = useOnboardedZoe()

const post = (path: string, body: unknown, key?: string) =>
  fetch(`http://127.0.0.1:${h.app.adminPort}/api/v1/projects/${h.world.project.key}${path}`, {
    method: 'POST',
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
const apiWrites = (customerId: number) =>
  h.database.db
    .select({ actorUserId: auditEvents.actorUserId, apiKeyId: auditEvents.apiKeyId, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.kind, 'api_write'), eq(auditEvents.customerId, customerId)))
const keyIdOf = async (key: string) =>
  (
    await h.database.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.publicId, key.split('_')[1]!))
  )[0]?.id
const customerIdOf = async (telegramUserId: number) => (await h.database.db.select().from(customers).where(eq(customers.telegramUserId, telegramUserId)))[0]?.id

describe('admin API: writing to a customer', () => {
  it('sends a message as a named staff member: the client gets it attributed, the topics the mirror', async () => {
    const { key } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'crm' })
    const id = await customerIdOf(h.world.people.zoe.id)
    const answer = await post(`/customers/${id}/messages`, { staffId: h.world.people.carol.id, text: 'Your invoice is ready.' }, key)
    expect(answer.status).toBe(201)
    expect(await answer.json()).toMatchObject({ delivered: true })
    const atClient = await waitForPrivate(h, h.world.people.zoe.id, h.world.bots.client.id, 'Your invoice is ready.')
    expect(atClient.text).toBe('Carol · CR\nYour invoice is ready.')
    // Both topics show it (there is no original in any of them), so CS sees what CR said.
    const csMirror = await waitForTopicMessage(h, h.world.groups.cs.id, zoe.cs, 'Your invoice is ready.')
    expect(csMirror.text).toBe('Carol · CR → client\nYour invoice is ready.')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Carol · CR → client\nYour invoice is ready.')
    const audit = await h.database.db.select().from(auditEvents).where(eq(auditEvents.kind, 'api_write'))
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorUserId: h.world.people.carol.id, customerId: id, text: 'Your invoice is ready.' })
  })

  it("signs with the first of the member's roles that has a topic of the customer, and refuses a member with none", async () => {
    const { key } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'crm' })
    const id = await customerIdOf(h.world.people.zoe.id)
    expect((await post(`/customers/${id}/messages`, { staffId: h.world.people.alice.id, text: 'Alice writes.' }, key)).status).toBe(201)
    expect((await waitForPrivate(h, h.world.people.zoe.id, h.world.bots.client.id, 'Alice writes.')).text).toBe('Alice · CS\nAlice writes.')
    // Tess works in Treatment, where Zoe has no topic.
    const refused = await post(`/customers/${id}/messages`, { staffId: h.world.people.tess.id, text: 'not signed' }, key)
    expect(refused.status).toBe(422)
    expect(await refused.json()).toMatchObject({ error: { code: 'no_group' } })
  })

  it('refuses a message without a key (401), with another project key (404), to an unknown or foreign customer (404), and bad input (422)', async () => {
    const { key } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'crm' })
    const id = await customerIdOf(h.world.people.zoe.id)
    const text = { staffId: h.world.people.alice.id, text: 'hello' }
    expect((await post(`/customers/${id}/messages`, text)).status).toBe(401)
    const [other] = (await h.database.db.execute(`INSERT INTO projects (\`key\`, name) VALUES ('other', 'Other')`)) as unknown as [{ insertId: number }]
    const [foreign] = await h.database.db.insert(customers).values({ projectId: other.insertId, telegramUserId: 777, clientBotId: 1, firstName: 'Fay', state: 'active' })
    const { key: otherKey } = await createApiKey(h.database.db, { projectId: other.insertId, name: 'other' })
    expect((await post(`/customers/${id}/messages`, text, otherKey)).status).toBe(404)
    expect((await post(`/customers/${foreign.insertId}/messages`, text, key)).status).toBe(404)
    expect((await post('/customers/999999/messages', text, key)).status).toBe(404)
    const notStaff = await post(`/customers/${id}/messages`, { staffId: h.world.people.mallory.id, text: 'hi' }, key)
    expect(notStaff.status).toBe(422)
    expect(((await notStaff.json()) as { error: { code: string } }).error.code).toBe('not_staff')
    expect((await post(`/customers/${id}/messages`, { staffId: h.world.people.alice.id, text: '  ' }, key)).status).toBe(422)
    expect((await post(`/customers/${id}/messages`, { staffId: h.world.people.alice.id, text: 'x'.repeat(4097) }, key)).status).toBe(422)
    expect((await post(`/customers/${id}/assign`, { team: 'south', by: h.world.people.alice.id }, otherKey)).status).toBe(404)
    expect((await post(`/customers/${foreign.insertId}/assign`, { team: 'south', by: h.world.people.alice.id }, key)).status).toBe(404)
  })

  it('refuses a body over 64 KB (413) after the key and the project, and one that is not JSON (422)', async () => {
    const { key } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'crm' })
    const id = await customerIdOf(h.world.people.zoe.id)
    const big = { staffId: h.world.people.alice.id, text: 'x'.repeat(65 * 1024) }
    expect((await post(`/customers/${id}/messages`, big)).status).toBe(401)
    const tooLarge = await post(`/customers/${id}/messages`, big, key)
    expect([tooLarge.status, await tooLarge.json()]).toEqual([413, { error: { code: 'too_large', message: 'The request body is larger than 64 KB' } }])
    const notJson = await fetch(`http://127.0.0.1:${h.app.adminPort}/api/v1/projects/${h.world.project.key}/customers/${id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: '{nope',
    })
    expect([notJson.status, ((await notJson.json()) as { error: { code: string } }).error.code]).toEqual([422, 'invalid_json'])
  })

  it('assigns a pending customer as a CS lead (the card is decided, topics opened); refuses non-leads (403) and unknown staff or teams (422)', async () => {
    const { key } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'crm' })
    const { sim, world } = h
    sim.sendPrivate(world.people.yuri.id, world.bots.client.id, { text: '/start' })
    await waitForPrivate(h, world.people.yuri.id, world.bots.client.id, 'email')
    sim.sendPrivate(world.people.yuri.id, world.bots.client.id, { text: 'yuri@example.com' })
    const card = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.reply_markup && m.text?.includes('yuri@example.com')))
    const id = await customerIdOf(world.people.yuri.id)
    // The card's message is recorded once it is sent.
    await pollUntil(async () => (await h.database.db.select().from(assignments).where(eq(assignments.customerId, id!)))[0]?.cardMessageId === card.message_id)
    const forbidden = await post(`/customers/${id}/assign`, { team: 'south', by: world.people.bob.id }, key)
    expect(forbidden.status).toBe(403)
    expect(await forbidden.json()).toEqual({ error: { code: 'forbidden', message: 'Only CS leads can assign customers.' } })
    expect((await post(`/customers/${id}/assign`, { team: 'south', by: world.people.mallory.id }, key)).status).toBe(422)
    expect((await post(`/customers/${id}/assign`, { team: 'west', by: world.people.alice.id }, key)).status).toBe(422)
    expect((await post(`/customers/${id}/assign`, { by: world.people.alice.id }, key)).status).toBe(422)
    const assigned = await post(`/customers/${id}/assign`, { team: 'south', by: world.people.alice.id }, key)
    expect(assigned.status).toBe(201)
    expect(await assigned.json()).toMatchObject({ result: 'assigned' })
    await waitForTopic(h, world.groups.south.id, 'Yuri')
    await waitForPrivate(h, world.people.yuri.id, world.bots.client.id, 'Your team is ready')
    await sim.waitFor(() =>
      sim.chatMessages(world.groups.cs.id).find((m) => m.message_id === card.message_id && m.text?.includes('Assigned to CR South') && m.text.includes('by Alice')),
    )
    // Audited with the decision, with the key that made it (the refused calls left nothing).
    expect(await apiWrites(id!)).toEqual([{ actorUserId: world.people.alice.id, apiKeyId: await keyIdOf(key), details: '{"route":"assign","team":"south"}' }])
  })

  it('moves an assigned customer to another team now, and refuses a second move while it is planned or done', async () => {
    const { key } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'crm' })
    const id = await customerIdOf(h.world.people.zoe.id)
    const moved = await post(`/customers/${id}/assign`, { team: 'south', by: h.world.people.alice.id }, key)
    expect(moved.status).toBe(201)
    expect(await moved.json()).toMatchObject({ result: 'reassigning' })
    await waitForTopic(h, h.world.groups.south.id, 'Zoe Quinn')
    await pollUntil(async () => (await h.database.db.select().from(customers).where(eq(customers.id, id!)))[0]?.crTeam === 'south')
    const again = await post(`/customers/${id}/assign`, { team: 'south', by: h.world.people.alice.id }, key)
    expect(again.status).toBe(409)
    expect(await apiWrites(id!)).toContainEqual({ actorUserId: h.world.people.alice.id, apiKeyId: await keyIdOf(key), details: '{"route":"assign","team":"south"}' })
  })
})
