import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, count, eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditEvents, broadcasts, customerAttributions, customers, customerTags, linkClicks, links, outbox, systemTopics } from '../../src/db/schema/index.js'
import { parseSegment, segmentRecipients } from '../../src/domain/broadcasts/segment.js'
import { forgetCustomer } from '../../src/domain/personal-data.js'
import { broadcastCli } from '../../src/cli/broadcast.js'
import { runCli, spawnCli, type CliOutcome } from '../support/cli.js'
import { pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

/**
 * Broadcasts end to end: `/broadcast tag:news` as a reply in the Onboarding topic, a count with
 * Confirm / Cancel (a forged or non-lead press refused), the bulk class at Telegram's own budgets
 * (the simulator's limits, no 429), a client who blocked the bot meanwhile marked (403), the
 * progress edited into the confirmation, Cancel halfway ending what is unsent, and a staff reply
 * to one of the recipients on the same client bot at its no-broadcast latency (+ 1 s). Then the
 * command line's `npm run broadcast`.
 */
const limits = { privatePerSecond: 1, privateBurst: 3, groupPerMinute: 20, globalPerSecond: 30 }
const READERS = 180
/**
 * A hang guard for the confirmation's edits: onboarding, the confirmation and its progress edits
 * spend the CS group's 20 a minute, so an edit may rightly wait for the minute to pass (both full
 * runs at load ~20 timed out at 60 s on the Cancelled edit, the log quiet meanwhile).
 */
const GROUP_MINUTE_GUARD_MS = 150_000
const { h, zoe } = useOnboardedZoe({ config: { delivery: { pollIntervalMs: 50, budgets: limits } } }, (harness) => harness.sim.setRateLimits(limits))

async function staffReply(text: string): Promise<number> {
  const { sim, world } = h
  const started = performance.now()
  sim.sendGroup(world.people.carol.id, zoe.crChat, { text }, { threadId: zoe.cr })
  await sim.waitFor(() => sim.privateMessages(world.people.zoe.id, world.bots.client.id).find((m) => m.from.is_bot && m.text?.includes(text)), {
    message: `reply "${text}" at Zoe`,
  })
  return performance.now() - started
}

/** Waits until Zoe's chat with the client bot has room in its window, so a measured reply waits for no budget of her chat. */
async function roomInZoesChat(): Promise<void> {
  const spanMs = (limits.privateBurst / limits.privatePerSecond) * 1000 + 100
  const { sim, world } = h
  await sim.waitFor(
    () => sim.deliveries().filter((d) => d.botId === world.bots.client.id && d.chatId === world.people.zoe.id && d.at > Date.now() - spanMs).length < limits.privateBurst,
    { message: "room in Zoe's chat" },
  )
}

/** Clients of the client bot stored as customers (as onboarding would leave them), with tags; returns their Telegram ids. */
async function seedClients(n: number, tags: string[], extra: Partial<typeof customers.$inferInsert> = {}): Promise<number[]> {
  const { sim, world } = h
  const project = h.app.projects[0]!
  const ids = Array.from({ length: n }, (_, i) => {
    const user = sim.createUser({ firstName: `Reader ${i}` })
    sim.openPrivateChat(user.id, world.bots.client.id)
    return user.id
  })
  await h.app.db
    .insert(customers)
    .values(
      ids.map((telegramUserId, i) => ({ projectId: project.id, telegramUserId, clientBotId: world.bots.client.id, state: 'active' as const, firstName: `Reader ${i}`, ...extra })),
    )
  const rows = await h.app.db.select({ id: customers.id }).from(customers).where(inArray(customers.telegramUserId, ids))
  if (tags.length) await h.app.db.insert(customerTags).values(rows.flatMap((row) => tags.map((tag) => ({ projectId: project.id, customerId: row.id, tag }))))
  return ids
}

const newsAt = (userId: number) => h.sim.privateMessages(userId, h.world.bots.client.id).filter((m) => m.from.is_bot && m.text?.startsWith('Spring news'))

describe('broadcasts', () => {
  it(
    'send a replied-to message to a tag segment in the bulk class, with progress, a blocked client marked, Cancel halfway, and a staff reply at its usual latency',
    async () => {
      const { sim, world } = h
      const project = h.app.projects[0]!
      const cs = world.groups.cs.id
      const alice = world.people.alice.id
      const clientBot = world.bots.client.id
      // The no-broadcast latency of a staff reply to Zoe.
      const quiet: number[] = []
      for (let i = 0; i < 4; i++) {
        await roomInZoesChat()
        quiet.push(await staffReply(`quiet reply ${i}`))
      }
      const p99 = Math.max(...quiet)

      const readers = await seedClients(READERS, ['news'])
      const [untagged] = await seedClients(1, ['other'])
      const [banned] = await seedClients(1, ['news'], { banned: true })
      const [blockedBefore] = await seedClients(1, ['news'], { blocked: true })
      const [zoeRow] = await h.app.db.select({ id: customers.id }).from(customers).where(eq(customers.telegramUserId, world.people.zoe.id))
      await h.app.db.insert(customerTags).values({ projectId: project.id, customerId: zoeRow!.id, tag: 'news' })
      const recipients = READERS + 1

      const [onboarding] = await h.app.db
        .select()
        .from(systemTopics)
        .where(and(eq(systemTopics.projectId, project.id), eq(systemTopics.purpose, 'onboarding')))
      const thread = onboarding!.threadId!
      const source = sim.sendGroup(alice, cs, { text: 'Spring news: 20% off everything this week.' }, { threadId: thread })
      // Outside the Onboarding topic, and by a CS agent who is not a lead: refused.
      const elsewhere = sim.sendGroup(alice, cs, { text: '/broadcast tag:news' }, { threadId: zoe.cs })
      await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.reply_to_message_id === elsewhere.message_id && m.text?.includes('Onboarding topic')), {
        message: 'refused outside Onboarding',
      })
      const byAgent = sim.sendGroup(world.people.bob.id, cs, { text: '/broadcast tag:news' }, { threadId: thread, replyTo: source.message_id })
      await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.reply_to_message_id === byAgent.message_id && m.text?.includes('Only CS leads')), {
        message: 'refused for an agent',
      })

      const command = sim.sendGroup(alice, cs, { text: '/broadcast tag:news' }, { threadId: thread, replyTo: source.message_id })
      const confirmation = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.reply_to_message_id === command.message_id && m.reply_markup), {
        message: 'the confirmation',
      })
      expect(confirmation.text).toContain(`tag:news: ${recipients} clients`)
      const buttons = confirmation.reply_markup!.inline_keyboard.flat() as Array<{ text: string; callback_data: string }>
      const go = buttons.find((b) => b.text.startsWith('✅'))!.callback_data
      const cancel = buttons.find((b) => b.text.includes('Cancel'))!.callback_data
      // A press by someone who is not a CS lead, and forged data, change nothing.
      expect((await sim.pressButton(world.people.bob.id, cs, confirmation.message_id, go))?.text).toContain('Only CS leads')
      expect((await sim.pressButton(alice, cs, confirmation.message_id, go.replace(/\d+$/, '999999'), { forged: true }))?.text).toBeTruthy()
      const [queuedEarly] = await h.app.db.select({ n: count() }).from(outbox).where(eq(outbox.class, 'bulk'))
      expect(queuedEarly!.n).toBe(0)

      expect((await sim.pressButton(alice, cs, confirmation.message_id, go))?.text).toContain(`Sending to ${recipients}`)
      // A reader blocks the bot after the count: their send meets 403, and they are marked.
      const blocker = readers[60]!
      sim.blockBot(blocker, clientBot)
      const delivered = () => sim.deliveries().filter((d) => d.botId === clientBot && d.text?.startsWith('Spring news')).length
      await sim.waitFor(() => delivered() >= limits.globalPerSecond, { message: 'the broadcast under way' })
      await roomInZoesChat()
      const busy = await staffReply('busy reply')

      // Progress is edited into the confirmation, then Cancel stops what is unsent.
      const progressOf = (text: string | undefined) => /([\d,]+) \/ ([\d,]+) sent, (\d+) blocked/.exec(text ?? '')
      await sim.waitFor(
        () => {
          const shown = progressOf(sim.chatMessages(cs).find((m) => m.message_id === confirmation.message_id)?.text)
          return shown && Number(shown[1]!.replace(',', '')) >= 80 && Number(shown[3]) >= 1 ? shown : undefined
        },
        { message: 'progress with the blocked client in the confirmation', timeoutMs: GROUP_MINUTE_GUARD_MS },
      )
      expect((await sim.pressButton(alice, cs, confirmation.message_id, cancel))?.text).toContain('Cancelled')
      const final = await sim.waitFor(
        () => {
          const text = sim.chatMessages(cs).find((m) => m.message_id === confirmation.message_id)?.text
          return text?.includes('Cancelled:') ? text : undefined
        },
        { message: 'the Cancelled edit of the confirmation', timeoutMs: GROUP_MINUTE_GUARD_MS },
      )
      const [, sentText, totalText, blockedText] = progressOf(final)!
      const sent = Number(sentText!.replace(',', ''))
      expect(Number(totalText!.replace(',', ''))).toBe(recipients)
      expect(Number(blockedText)).toBe(1)
      expect(sent).toBeLessThan(recipients - 1)
      const notSent = Number(/Cancelled: ([\d,]+) not sent/.exec(final)![1]!.replace(',', ''))
      expect(sent + 1 + notSent).toBe(recipients)

      const [row] = await h.app.db.select().from(broadcasts)
      expect(row).toMatchObject({ state: 'cancelled', sent, blocked: 1, cancelled: notSent })
      const [unsent] = await h.app.db
        .select({ n: count() })
        .from(outbox)
        .where(and(eq(outbox.broadcastId, row!.id), inArray(outbox.state, ['pending', 'sending'])))
      expect(unsent!.n).toBe(0)
      // delivery.allowPaidBroadcast is off by default: no allow_paid_broadcast.
      const [aJob] = await h.app.db.select({ job: outbox.job }).from(outbox).where(eq(outbox.broadcastId, row!.id)).limit(1)
      expect(JSON.parse(aJob!.job)).not.toHaveProperty('paid')
      const [blockerRow] = await h.app.db.select({ blocked: customers.blocked }).from(customers).where(eq(customers.telegramUserId, blocker))
      expect(blockerRow!.blocked).toBe(true)
      // Exactly the sent count reached the clients, once each; never the untagged, banned or blocked.
      const reached = [world.people.zoe.id, ...readers].filter((id) => newsAt(id).length > 0)
      expect(reached.length).toBe(sent)
      expect(reached.every((id) => newsAt(id).length === 1)).toBe(true)
      for (const id of [untagged!, banned!, blockedBefore!]) expect(newsAt(id)).toEqual([])
      const audit = await h.app.db.select({ details: auditEvents.details }).from(auditEvents).where(eq(auditEvents.kind, 'broadcast'))
      expect(audit.map((a) => (JSON.parse(a.details) as { action: string }).action)).toEqual(['started', 'cancelled'])

      expect(busy, `no-broadcast replies took ${quiet.map(Math.round).join(', ')} ms`).toBeLessThanOrEqual(p99 + 1000)
      expect(sim.stats().rateLimited).toBe(0)
    },
    4 * GROUP_MINUTE_GUARD_MS,
  )

  it('sends a photo with its caption, and counts each kind of segment', async () => {
    const { sim, world } = h
    const project = h.app.projects[0]!
    const cs = world.groups.cs.id
    const alice = world.people.alice.id
    const [german, austrian] = await seedClients(2, ['photo'], { languageCode: 'de' })
    await h.app.db.update(customers).set({ languageCode: 'de-AT' }).where(eq(customers.telegramUserId, austrian!))
    const [fromLink] = await seedClients(1, [], { crTeam: 'south' })
    const [linkRow] = await h.app.db.insert(links).values({ projectId: project.id, code: 'spring01', name: 'Spring', params: '{}' })
    const [click] = await h.app.db.insert(linkClicks).values({ projectId: project.id, linkId: Number(linkRow.insertId), token: 'tok-spring', clickedAt: new Date(), visitor: 'v' })
    const [linked] = await h.app.db.select({ id: customers.id }).from(customers).where(eq(customers.telegramUserId, fromLink!))
    await h.app.db.insert(customerAttributions).values({ projectId: project.id, customerId: linked!.id, firstClickId: Number(click.insertId), lastClickId: Number(click.insertId) })
    const count = async (segment: string) => {
      const parsed = parseSegment(project, segment)
      if (!parsed.ok) return parsed.reason
      return (await segmentRecipients(h.app.db, project, parsed.segment)).map((r) => r.chatId)
    }
    expect(await count('lang:de')).toEqual([german, austrian])
    expect(await count('link:spring01')).toEqual([fromLink])
    expect(await count('team:south')).toEqual([fromLink])
    expect(await count('team:east')).toContain('no CR team "east"')
    expect(await count('vip')).toContain('not a segment')

    const [onboarding] = await h.app.db
      .select()
      .from(systemTopics)
      .where(and(eq(systemTopics.projectId, project.id), eq(systemTopics.purpose, 'onboarding')))
    const photo = sim.sendGroup(alice, cs, { photo: { bytes: Buffer.from('spring-photo') }, caption: 'Spring news in pictures' }, { threadId: onboarding!.threadId! })
    const command = sim.sendGroup(alice, cs, { text: '/broadcast tag:photo' }, { threadId: onboarding!.threadId!, replyTo: photo.message_id })
    const confirmation = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.reply_to_message_id === command.message_id && m.reply_markup), { message: 'the confirmation' })
    const go = (confirmation.reply_markup!.inline_keyboard.flat() as Array<{ text: string; callback_data: string }>).find((b) => b.text.startsWith('✅'))!.callback_data
    await sim.pressButton(alice, cs, confirmation.message_id, go)
    for (const reader of [german!, austrian!])
      await sim.waitFor(() => sim.privateMessages(reader, world.bots.client.id).find((m) => m.kind === 'photo' && m.text === 'Spring news in pictures'), {
        message: `the photo at ${reader}`,
      })
    // Its confirmation ends with the final figures and no buttons.
    await sim.waitFor(
      () =>
        sim.chatMessages(cs).find((m) => m.message_id === confirmation.message_id && m.text?.endsWith('2 / 2 sent, 0 blocked. Done.') && !m.reply_markup?.inline_keyboard.length),
      {
        message: 'the final figures',
      },
    )
  })

  it('never goes to a customer who was forgotten (customer forget), whatever the segment still says of them', async () => {
    const project = h.app.projects[0]!
    const [kept, forgotten] = await seedClients(2, [], { crTeam: 'south' })
    const [row] = await h.app.db.select({ id: customers.id }).from(customers).where(eq(customers.telegramUserId, forgotten!))
    await forgetCustomer(h.app.db, project.id, row!.id, 'test')
    for (const typed of ['all', 'team:south']) {
      const parsed = parseSegment(project, typed)
      const chats = parsed.ok ? (await segmentRecipients(h.app.db, project, parsed.segment)).map((r) => r.chatId) : []
      expect(chats).toContain(kept)
      expect(chats).not.toContain(forgotten)
    }
  })

  it('is started from the command line too: counted without --yes, sent with it (paid when delivery.allowPaidBroadcast)', async () => {
    const { world } = h
    const dir = mkdtempSync(join(tmpdir(), 'topicdesk-broadcast-'))
    const config = join(dir, 'config.json')
    const project = {
      key: world.project.key,
      name: 'Acme',
      bots: { client: world.bots.client.token, cs: '2:b', cr: '3:c' },
      groups: { cs: { chatId: -1 }, cr: [{ key: 'north', title: 'North', chatId: -2 }] },
    }
    writeFileSync(config, JSON.stringify({ database: { url: 'mysql://ignored@h/db' }, delivery: { allowPaidBroadcast: true }, projects: [project] }))
    const message = join(dir, 'message.txt')
    writeFileSync(message, 'Spring news from the command line.\n')
    const readers = await seedClients(3, ['cli'])
    const env = { DATABASE_URL: h.database.url, TOPICDESK_CONFIG: config }
    const succeeded = (outcome: CliOutcome) => {
      expect(outcome.code, outcome.stderr).toBe(0)
      return outcome
    }
    // In this process, but the count: `npm run broadcast` as its own process (the path every command shares).
    const run = async (args: string[]) => succeeded(await runCli(broadcastCli, ['--project', world.project.key, ...args], env))
    const counted = succeeded(await spawnCli('src/cli/broadcast.ts', ['--project', world.project.key, '--segment', 'tag:cli', '--message', message], env))
    expect(counted.stdout).toContain('3 client(s) in tag:cli')
    const started = await run(['--segment', 'tag:cli', '--message', message, '--yes'])
    const id = /Broadcast #(\d+)/.exec(started.stdout)![1]!
    for (const reader of readers)
      await h.sim.waitFor(() => newsAt(reader).find((m) => m.text === 'Spring news from the command line.'), { message: `the CLI broadcast at ${reader}` })
    await pollUntil(
      async () =>
        (
          await h.app.db
            .select()
            .from(broadcasts)
            .where(eq(broadcasts.id, Number(id)))
        )[0]?.state === 'done',
      { message: 'the CLI broadcast done' },
    )
    expect((await run(['--status', id])).stdout).toContain('3 / 3 sent, 0 blocked. Done.')
    // allow_paid_broadcast went with each send (the simulator takes it; off by default, as in the test above).
    const jobs = await h.app.db
      .select({ job: outbox.job })
      .from(outbox)
      .where(eq(outbox.broadcastId, Number(id)))
    expect(jobs.map((j) => (JSON.parse(j.job) as { paid?: boolean }).paid)).toEqual([true, true, true])
  })
})
