import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { customers, outbox } from '../../src/db/schema/index.js'
import { encodeDestination } from '../../src/delivery/destination.js'
import { enqueue } from '../../src/delivery/outbox.js'
import { createApiKey, revokeApiKey } from '../../src/server/api/api-keys.js'
import { apikeyCli } from '../../src/cli/apikey.js'
import { runCli, spawnCli } from '../support/cli.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

const api = (path: string, key?: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${h.app.adminPort}/api/v1${path}`, { ...init, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json' } })
const projectKey = () => h.world.project.key

describe('admin API', () => {
  it('refuses requests without a valid key (401) and revoked keys', async () => {
    expect((await api(`/projects/${projectKey()}/customers`)).status).toBe(401)
    expect(await (await api(`/projects/${projectKey()}/customers`, 'tdk_000000000000_' + 'x'.repeat(32))).json()).toEqual({
      error: { code: 'unauthorized', message: 'This API key is unknown or revoked' },
    })
    const { key, publicId } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'revoked' })
    expect((await api(`/projects/${projectKey()}/customers`, key)).status).toBe(200)
    await revokeApiKey(h.database.db, publicId)
    expect((await api(`/projects/${projectKey()}/customers`, key)).status).toBe(401)
    // A key with a wrong secret but a real id is refused too (the hash is compared, not the id).
    expect((await api(`/projects/${projectKey()}/customers`, key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a'))).status).toBe(401)
  })

  it('lists, searches and shows customers with topics and history', async () => {
    const { key } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'crm' })
    const all = (await (await api(`/projects/${projectKey()}/customers`, key)).json()) as { customers: Array<{ id: number; account: { email: string } }> }
    expect(all.customers.map((c) => c.account.email)).toEqual(['zoe@example.com'])
    const found = (await (await api(`/projects/${projectKey()}/customers?q=ACC-1001`, key)).json()) as { customers: unknown[] }
    expect(found.customers).toHaveLength(1)
    expect(((await (await api(`/projects/${projectKey()}/customers?q=nobody`, key)).json()) as { customers: unknown[] }).customers).toEqual([])
    const id = all.customers[0]!.id
    const one = (await (await api(`/projects/${projectKey()}/customers/${id}`, key)).json()) as {
      customer: { state: string; crTeam: string }
      topics: Array<{ role: string; threadId: number }>
      history: string[]
    }
    expect(one.customer).toMatchObject({ state: 'active', crTeam: 'north' })
    expect(one.topics.map((t) => [t.role, t.threadId])).toEqual([
      ['cs', zoe.cs],
      ['cr', zoe.cr],
    ])
    expect(one.history.join('\n')).toMatch(/onboarded .*north.* by Alice/)
    expect((await api(`/projects/${projectKey()}/customers/999999`, key)).status).toBe(404)
    expect((await api(`/projects/${projectKey()}/customers?limit=5000`, key)).status).toBe(422)
    expect((await api(`/projects/${projectKey()}/nothing-here`, key)).status).toBe(404)
    expect((await api(`/projects/${projectKey()}/customers`, key, { method: 'DELETE' })).status).toBe(405)
  })

  it('never shows another project: its key gets 404 as for an unknown project, its customers 404; a global key sees every configured project', async () => {
    // A second project registered in the same database, with a customer of its own.
    const [other] = (await h.database.db.execute<{ insertId: number }>(`INSERT INTO projects (\`key\`, name) VALUES ('beta', 'Beta Brand')`)) as unknown as [{ insertId: number }]
    const [betaCustomer] = await h.database.db.insert(customers).values({ projectId: other.insertId, telegramUserId: 555, clientBotId: 1, firstName: 'Bea' })
    const { key: betaKey } = await createApiKey(h.database.db, { projectId: other.insertId, name: 'beta' })
    const { key: acmeKey } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'acme' })
    // beta is not a configured project of this service: nothing about it is served.
    expect((await api('/projects/beta/customers', acmeKey)).status).toBe(404)
    // Another project's key cannot tell an existing project from an unknown one.
    const foreign = await api(`/projects/${projectKey()}/customers`, betaKey)
    const unknown = await api('/projects/nosuch/customers', betaKey)
    expect([foreign.status, unknown.status]).toEqual([404, 404])
    expect(await foreign.json()).toEqual({ error: { code: 'project_not_found', message: `No project ${projectKey()}` } })
    expect(await unknown.json()).toEqual({ error: { code: 'project_not_found', message: 'No project nosuch' } })
    expect((await api(`/projects/${projectKey()}/customers/${betaCustomer.insertId}`, acmeKey)).status).toBe(404)
    const { key: globalKey } = await createApiKey(h.database.db, { projectId: null, name: 'ops' })
    expect(((await (await api('/projects', globalKey)).json()) as { projects: Array<{ key: string }> }).projects.map((p) => p.key)).toEqual([projectKey()])
    expect(((await (await api('/projects', betaKey)).json()) as { projects: unknown[] }).projects).toEqual([])
  })

  it('lists dead letters of its project and retries one', async () => {
    const { key } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'ops' })
    const target = { kind: 'chat' as const, chatId: h.world.groups.cs.id }
    const id = await enqueue(h.database.db, {
      projectId: h.projectId,
      class: 'prompt',
      destination: encodeDestination(target),
      botId: h.world.bots.cs.id,
      job: { type: 'text', target, text: 'retried by the API' },
    })
    await h.database.db.update(outbox).set({ state: 'dead', lastError: 'test' }).where(eq(outbox.id, id))
    const letters = (await (await api(`/projects/${projectKey()}/dead-letters`, key)).json()) as { deadLetters: Array<{ id: number }> }
    expect(letters.deadLetters.map((l) => l.id)).toContain(id)
    const retried = await api(`/projects/${projectKey()}/dead-letters/${id}/retry`, key, { method: 'POST' })
    expect(retried.status).toBe(201)
    h.app.workers.notify()
    await h.sim.waitFor(() => h.sim.chatMessages(h.world.groups.cs.id).find((m) => m.text === 'retried by the API'))
    expect((await api(`/projects/${projectKey()}/dead-letters/${id}/retry`, key, { method: 'POST' })).status).toBe(404)
  })

  it('creates, lists and revokes keys from the command line, showing the key once', async () => {
    // In this process, but the first: `npm run apikey` as its own process (the path every command shares).
    const run = (...args: string[]) => runCli(apikeyCli, args, { DATABASE_URL: h.database.url })
    const created = await spawnCli('src/cli/apikey.ts', ['create', '--project', projectKey(), '--name', 'cli key'], { DATABASE_URL: h.database.url })
    expect(created.code).toBe(0)
    const key = /^(tdk_\S+)$/m.exec(created.stdout)![1]!
    // The secret may itself contain "_": split on the fixed-length public id instead.
    const [, publicId, secret] = /^tdk_([0-9a-f]{12})_(.+)$/.exec(key)!
    expect((await api(`/projects/${projectKey()}/customers`, key)).status).toBe(200)
    const listed = await run('list', '--project', projectKey())
    expect(listed.stdout).toContain('cli key')
    expect(listed.stdout).toContain(publicId!)
    expect(listed.stdout).not.toContain(secret!)
    expect(await run('revoke', publicId!)).toMatchObject({ code: 0 })
    expect((await api(`/projects/${projectKey()}/customers`, key)).status).toBe(401)
    expect(await run('create', '--project', 'nope')).toMatchObject({ code: 2 })
  })
})
