import { request } from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it, onTestFinished } from 'vitest'
import { addressList } from '../../src/config/addresses.js'
import { createLink } from '../../src/domain/links/links.js'
import { createLogger } from '../../src/logger.js'
import { createPublicServer } from '../../src/server/admin-server.js'
import { closeServer, listen } from '../../src/server/router.js'
import { customerAttributions, customers, linkClicks, links } from '../../src/db/schema/index.js'
import { linkStats, renderLinkStats } from '../../src/domain/links/stats.js'
import { BUILT_IN_TEXTS } from '../../src/texts/index.js'
import { linksCli } from '../../src/cli/links.js'
import { runCli, spawnCli } from '../support/cli.js'
import { onboard, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { createQueryRecorder, projectOwnedTables, unscopedStatements } from '../support/query-recorder.js'
import { useHarness } from '../support/suite.js'

/**
 * Issue 18, "Diversion links": a link made in the CS group, visits through a trusted proxy and
 * from an untrusted peer, the redirect to the client bot with a click token, the client's
 * `/start <token>`, the source on the onboarding and profile cards, the numbers in `/links` and
 * `npm run links -- stats`, and the command line's `create`.
 */
const PUBLIC_URL = 'https://go.example.com'
const recorder = createQueryRecorder()
const h = useHarness({ queryLogger: recorder, config: { links: { publicUrl: PUBLIC_URL, trustedProxies: ['127.0.0.1', '10.0.0.0/8'] } } })

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0'

/** A GET on the service's public surface from `localAddress` (127.0.0.1 is a trusted proxy, 127.0.0.2 is not). */
function visit(path: string, headers: Record<string, string>, localAddress = '127.0.0.1') {
  return new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: h.app.publicPort, path, headers, localAddress }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Sends a command in the CS group's General and waits for the bot's answer to it. */
async function ask(userId: number, text: string) {
  const cs = h.world.groups.cs.id
  const sent = h.sim.sendGroup(userId, cs, { text })
  return h.sim.waitFor(() => h.sim.chatMessages(cs).find((m) => m.from.is_bot && m.message_id > sent.message_id && m.reply_to_message_id === sent.message_id))
}

/** `npm run links`, in this process; `spawned` runs it as its own process (once: that path is the same for every command). */
const run = (args: string[], env: Record<string, string> = {}) => runCli(linksCli, args, { DATABASE_URL: h.database.url, ...env })
const spawned = (args: string[], env: Record<string, string> = {}) => spawnCli('src/cli/links.ts', args, { DATABASE_URL: h.database.url, ...env })

const tokenOf = (location: string | undefined) => new URL(location ?? 'https://t.me/').searchParams.get('start') ?? ''

describe('diversion links', () => {
  it('count a click, a unique visitor, a start and an onboarded customer, shown on the cards and in /links and the CLI', async () => {
    const { sim, world } = h
    const { db } = h.database
    const alice = world.people.alice.id
    const cs = world.groups.cs.id

    // Only CS leads make links.
    expect((await ask(world.people.bob.id, '/link new FB spring')).text).toBe('Only CS leads can manage links.')
    const made = await ask(alice, '/link new FB spring')
    const url = /https:\/\/go\.example\.com\/l\/([A-Za-z0-9_-]+)/.exec(made.text ?? '')
    expect(made.text).toMatch(/^🔗 Link "FB spring" created: https:\/\/go\.example\.com\/l\/[A-Za-z0-9_-]{8}\n/)
    const code = url![1]!

    // Through a trusted proxy: the forwarded address is the visitor's.
    const query = '?utm_source=fb&utm_campaign=spring&fbclid=abc123'
    const before = recorder.statements.length
    const viaProxy = await visit(`/l/${code}${query}`, { 'x-forwarded-for': '198.51.100.20, 203.0.113.7', 'user-agent': IPHONE, referer: 'https://m.facebook.com/' })
    // The redirect waited on one read of the link and one insert.
    const linkStatements = recorder.statements.slice(before).filter((statement) => /`(links|link_clicks|customer_attributions)`/.test(statement))
    expect(linkStatements.map((statement) => statement.split(' (')[0]!.replace(/ .* from /, ' … from '))).toEqual(['select … from `links` where', 'insert into `link_clicks`'])
    expect(viaProxy.status).toBe(302)
    expect(viaProxy.location).toMatch(new RegExp(`^https://t\\.me/${world.bots.client.username}\\?start=[A-Za-z0-9_-]{22}$`))
    // From an untrusted peer: its X-Forwarded-For is ignored.
    const direct = await visit(`/l/${code}?utm_source=fb`, { 'x-forwarded-for': '203.0.113.99', 'user-agent': FIREFOX }, '127.0.0.2')
    expect(direct.status).toBe(302)
    const clicks = await db.select().from(linkClicks).orderBy(linkClicks.id)
    expect(clicks.map((c) => c.token)).toEqual([tokenOf(viaProxy.location), tokenOf(direct.location)])
    expect(clicks[0]).toMatchObject({ ip: '203.0.113.7', browser: 'Mobile Safari 17.0', os: 'iOS 17.0', device: 'mobile Apple iPhone', referrer: 'https://m.facebook.com/' })
    expect(JSON.parse(clicks[0]!.params!)).toEqual({ utm_source: 'fb', utm_campaign: 'spring', fbclid: 'abc123' })
    expect(clicks[1]).toMatchObject({ ip: '127.0.0.2', browser: 'Firefox 120.0', os: 'Linux', device: 'desktop', referrer: null })

    // Unknown and malformed codes: a plain 404.
    for (const bad of ['/l/nope1234', '/l/%E2%9C%93', `/l/${code}x`]) {
      const answer = await visit(bad, {})
      expect([answer.status, answer.body]).toEqual([404, 'Not found'])
    }

    // The client starts the bot with the click's token: the onboarding card and the profile card show the source.
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north', { startPayload: tokenOf(viaProxy.location) })
    expect(zoe.card.text).toContain('\nSource: FB spring · utm_source=fb · utm_campaign=spring')
    expect(zoe.card.text).not.toContain('Start payload')
    const card = await waitForTopicMessage(h, cs, zoe.cs, (m) => m.text?.startsWith('👤 Zoe Quinn') === true)
    expect(card.text).toContain('\nSource: FB spring · utm_source=fb · utm_campaign=spring\n')

    // A /start with a token nobody clicked is a plain start: its payload is kept as one.
    const yuri = world.people.yuri.id
    sim.sendPrivate(yuri, world.bots.client.id, { text: '/start AAAAAAAAAAAAAAAAAAAAAA' })
    await waitForPrivate(h, yuri, world.bots.client.id, 'email')
    const [yuriRow] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.projectId, h.projectId), eq(customers.telegramUserId, yuri)))
    expect(yuriRow!.startPayload).toBe('AAAAAAAAAAAAAAAAAAAAAA')

    // /links and the CLI's stats count both clicks, two visitors, one start, one onboarded customer.
    const day = new Date().toISOString().slice(0, 10)
    const line = `• FB spring (${code}): 2 click(s), 2 unique visitor(s), 1 start(s), 1 onboarded, conversion 50%`
    const report = await ask(alice, '/links')
    expect(report.text).toBe(`🔗 Links, last 30 day(s) (UTC):\n${line}\n   ${day}: 2 click(s), 2 visitor(s), 1 start(s), 1 onboarded`)
    expect((await ask(world.people.bob.id, '/links')).text).toBe('Only CS leads can manage links.')
    const stats = await run(['stats', '--project', world.project.key])
    expect(stats).toMatchObject({ code: 0, stdout: `${report.text}\n` })

    // Zoe comes back through another link: the first touch is kept, the latest shown after it.
    const ig = /\/l\/([A-Za-z0-9_-]+)/.exec((await ask(alice, '/link new IG story utm_medium=story')).text ?? '')![1]!
    const again = await visit(`/l/${ig}`, { 'user-agent': IPHONE })
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: `/start ${tokenOf(again.location)}` })
    await waitForTopicMessage(h, cs, zoe.cs, (m) => m.message_id === card.message_id && m.text?.includes('(latest: IG story · utm_medium=story)') === true)

    // A disabled link answers 404.
    expect((await ask(alice, `/link disable ${ig}`)).text).toBe(`🔗 Link ${ig} is disabled: it now answers "not found".`)
    expect((await visit(`/l/${ig}`, {})).status).toBe(404)
    // Every statement on the links' tables (clicks, attribution, cards, stats) is scoped by project, but the URL's lookup by code.
    const onLinkTables = recorder.statements.filter((statement) => /`(links|link_clicks|customer_attributions)`/.test(statement))
    expect(unscopedStatements(onLinkTables, await projectOwnedTables(db))).toEqual([])
  })

  it('count a seeded history by day of the click, within the window and the project', async () => {
    const { db } = h.database
    const scope = { projectId: h.projectId }
    const link = await createLink(db, scope, { name: 'Seeded', params: {}, createdBy: null })
    const other = await createLink(db, { projectId: h.projectId + 1 }, { name: 'Other brand', params: {}, createdBy: null })
    const now = new Date('2026-03-10T12:00:00Z')
    const [zoe] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.projectId, h.projectId), eq(customers.telegramUserId, h.world.people.zoe.id)))
    const click = (linkId: number, projectId: number, at: string, visitor: string, started?: number) =>
      db.insert(linkClicks).values({
        projectId,
        linkId,
        token: `t${Math.random().toString(36).slice(2, 14)}`,
        clickedAt: new Date(at),
        visitor,
        customerId: started ?? null,
        startedAt: started ? new Date(at) : null,
      })
    await click(link.id, h.projectId, '2026-02-01T10:00:00Z', 'too-old')
    await click(link.id, h.projectId, '2026-03-08T09:00:00Z', 'v1')
    await click(link.id, h.projectId, '2026-03-08T10:00:00Z', 'v1')
    await click(link.id, h.projectId, '2026-03-08T23:59:00Z', 'v2')
    const [started] = await click(link.id, h.projectId, '2026-03-09T00:01:00Z', 'v1', zoe!.id)
    await click(other.id, h.projectId + 1, '2026-03-09T00:02:00Z', 'v9')
    // Zoe (onboarded, from the first test) came first through this link's click of 9 March.
    await db.delete(customerAttributions).where(eq(customerAttributions.customerId, zoe!.id))
    await db.insert(customerAttributions).values({ projectId: h.projectId, customerId: zoe!.id, firstClickId: Number(started.insertId), lastClickId: Number(started.insertId) })

    const stats = await linkStats(db, scope, { days: 7, now })
    expect(stats.map((s) => s.name)).not.toContain('Other brand')
    const seeded = stats.find((s) => s.code === link.code)!
    expect(seeded).toMatchObject({ clicks: 4, visitors: 2, starts: 1, onboarded: 1, conversion: 50 })
    expect(seeded.days).toEqual([
      { day: '2026-03-08', clicks: 3, visitors: 2, starts: 0, onboarded: 0 },
      { day: '2026-03-09', clicks: 1, visitors: 1, starts: 1, onboarded: 1 },
    ])
    expect(renderLinkStats(BUILT_IN_TEXTS, [seeded], 7)).toBe(
      [
        '🔗 Links, last 7 day(s) (UTC):',
        `• Seeded (${link.code}): 4 click(s), 2 unique visitor(s), 1 start(s), 1 onboarded, conversion 50%`,
        '   2026-03-08: 3 click(s), 2 visitor(s), 0 start(s), 0 onboarded',
        '   2026-03-09: 1 click(s), 1 visitor(s), 1 start(s), 1 onboarded',
      ].join('\n'),
    )
  })

  it('are rate-limited per visitor, as the trusted proxy names them', async () => {
    const link = await createLink(h.database.db, { projectId: h.projectId }, { name: 'Busy', params: {}, createdBy: null })
    const logger = createLogger('silent')
    const links = { db: h.app.db, projects: h.app.projects, clock: h.app.deps.clock, logger, trustedProxies: addressList(['127.0.0.1']) }
    const server = createPublicServer({ logger, rateLimit: { burst: 1, perSecond: 0.01 }, links })
    const port = await listen(server, 0, '127.0.0.1')
    onTestFinished(() => closeServer(server))
    const from = (visitor: string) => fetch(`http://127.0.0.1:${port}/l/${link.code}`, { redirect: 'manual', headers: { 'x-forwarded-for': visitor } })
    expect((await from('198.51.100.1')).status).toBe(302)
    expect((await from('198.51.100.1')).status).toBe(429)
    expect((await from('198.51.100.2')).status).toBe(302)
  })

  it('are made from the command line, with a clear error when the config has no public URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topicdesk-links-'))
    const config = (links?: object) => {
      const file = join(dir, `config-${links ? 'with' : 'without'}.json`)
      const project = {
        key: h.world.project.key,
        name: 'Acme',
        bots: { client: '1:a', cs: '2:b', cr: '3:c' },
        groups: { cs: { chatId: -1 }, cr: [{ key: 'north', title: 'North', chatId: -2 }] },
      }
      writeFileSync(file, JSON.stringify({ database: { url: 'mysql://ignored@h/db' }, projects: [project], ...(links ? { links } : {}) }))
      return file
    }
    const args = ['create', '--project', h.world.project.key, '--name', 'Newsletter May', '--utm', 'campaign=may', '--utm', 'utm_source=mail']
    const missing = await run(args, { TOPICDESK_CONFIG: config() })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('links create needs the public address visitors open: set links.publicUrl in')

    const created = await spawned(args, { TOPICDESK_CONFIG: config({ publicUrl: 'https://l.example.org' }) })
    expect(created.code).toBe(0)
    const code = /^https:\/\/l\.example\.org\/l\/([A-Za-z0-9_-]{8})\n/.exec(created.stdout)?.[1]
    expect(code).toBeDefined()
    const [row] = await h.database.db.select().from(links).where(eq(links.code, code!))
    expect(row).toMatchObject({ projectId: h.projectId, name: 'Newsletter May', enabled: true, createdBy: null })
    expect(JSON.parse(row!.params)).toEqual({ utm_campaign: 'may', utm_source: 'mail' })
    // The link works: its parameters come with every click.
    const click = await visit(`/l/${code}?utm_campaign=override`, {})
    expect(click.status).toBe(302)
    const [stored] = await h.database.db
      .select()
      .from(linkClicks)
      .where(eq(linkClicks.token, tokenOf(click.location)))
    expect(JSON.parse(stored!.params!)).toEqual({ utm_campaign: 'override', utm_source: 'mail' })
  })
})
