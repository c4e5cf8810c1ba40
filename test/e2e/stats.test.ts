import { describe, expect, it } from 'vitest'
import { assignmentLog, auditEvents, conversationRatings, customerAttributions, customers, linkClicks, links, messages, projects } from '../../src/db/schema/index.js'
import { ManualClock } from '../../src/domain/clock.js'
import { nearestRank } from '../../src/domain/reports/percentile.js'
import { statsCli } from '../../src/cli/stats.js'
import { runCli, spawnCli, type CliOutcome } from '../support/cli.js'
import { askInGroup } from '../support/flows.js'
import { useHarness } from '../support/suite.js'

/**
 * Issue 18, "Reports": `/stats` and `npm run stats` on a seeded history with known answers. The
 * rows are written straight into the database with known times; every figure below is worked
 * out by hand in the comments (durations in seconds, percentiles nearest-rank).
 */
const clock = new ManualClock(new Date('2026-11-08T00:00:00Z'))
const h = useHarness({ start: { clock } }, seedHistory)

const t = (iso: string) => new Date(`2026-${iso}Z`)
let nextMessageId = 1

async function seedHistory(): Promise<void> {
  const { db } = h.database
  const projectId = h.projectId
  const { carol, dave } = h.world.people
  const customer = async (telegramUserId: number, createdAt: string, project = projectId) => {
    const [row] = await db.insert(customers).values({ projectId: project, telegramUserId, clientBotId: 1, firstName: 'Seeded', state: 'active', createdAt: t(createdAt) })
    return row.insertId
  }
  const message = (customerId: number, at: string, from: 'client' | number, o: { internalNote?: boolean; project?: number } = {}) =>
    db.insert(messages).values({
      projectId: o.project ?? projectId,
      customerId,
      origin: from === 'client' ? 'client' : 'staff',
      botId: 1,
      chatId: customerId,
      messageId: nextMessageId++,
      senderUserId: from === 'client' ? 900_000 + customerId : from,
      kind: 'text',
      raw: '{}',
      internalNote: o.internalNote ?? false,
      createdAt: t(at),
    })
  const log = (customerId: number, at: string, action: 'resolved' | 'owner_changed', reason: string) =>
    db
      .insert(assignmentLog)
      .values({ projectId, customerId, action, reason, createdAt: t(at) })
      .then(([r]) => r.insertId)
  const rating = async (customerId: number, at: string, value: number, resolvedAt: string) =>
    db.insert(conversationRatings).values({ projectId, customerId, resolutionId: await log(customerId, resolvedAt, 'resolved', 'command'), rating: value, createdAt: t(at) })

  // C1, a customer from before the period, waiting since before it.
  const c1 = await customer(900_001, '10-30T12:00:00')
  await message(c1, '10-31T23:50:00', 'client')
  await message(c1, '11-01T00:10:00', carol.id) // response 1200 (the conversation's first)
  await message(c1, '11-01T08:00:00', 'client')
  await message(c1, '11-01T08:05:00', 'client') // the same wait
  await message(c1, '11-01T08:10:00', carol.id) // response 600
  await rating(c1, '11-01T09:05:00', 5, '11-01T09:00:00') // resolution 9h10m = 33000
  // C2: new; two conversations.
  const c2 = await customer(900_002, '11-02T09:00:00')
  // C2 came from a diversion link (first touch: FB spring).
  const [link] = await db.insert(links).values({ projectId, code: 'fbspring', name: 'FB spring', params: '{}' })
  const [click] = await db.insert(linkClicks).values({ projectId, linkId: link.insertId, token: 'seeded-click', clickedAt: t('11-02T08:59:00'), visitor: 'seeded' })
  await db.insert(customerAttributions).values({ projectId, customerId: c2, firstClickId: click.insertId, lastClickId: click.insertId })
  await message(c2, '11-02T09:00:00', 'client')
  await message(c2, '11-02T09:02:00', dave.id) // response 120 (first)
  await message(c2, '11-02T09:03:00', dave.id) // nothing waits: a message, not a response
  await message(c2, '11-02T09:04:00', dave.id, { internalNote: true }) // an internal note: not counted
  await message(c2, '11-02T10:00:00', 'client')
  await message(c2, '11-02T10:30:00', carol.id) // response 1800
  await rating(c2, '11-02T11:10:00', 3, '11-02T11:00:00') // resolution 7200
  await message(c2, '11-03T12:00:00', 'client') // a new conversation
  await message(c2, '11-03T12:05:00', dave.id) // response 300 (first of the new conversation)
  // C3: new; transferred, answered, resolved.
  const c3 = await customer(900_003, '11-03T10:00:00')
  await message(c3, '11-03T10:00:00', 'client')
  await message(c3, '11-03T10:40:00', carol.id) // response 2400 (first)
  await log(c3, '11-03T10:50:00', 'owner_changed', 'transfer')
  await log(c3, '11-03T10:55:00', 'owner_changed', 'routing') // not a transfer
  await rating(c3, '11-03T11:30:00', 4, '11-03T11:00:00') // resolution 3600
  // C4: new, still unanswered at the period's end (the answer comes after it).
  const c4 = await customer(900_004, '11-07T20:00:00')
  await message(c4, '11-07T20:00:00', 'client')
  await message(c4, '11-07T21:00:00', 'client')
  await message(c4, '11-08T01:00:00', 'client')
  await message(c4, '11-08T02:00:00', carol.id)
  // Another project's customer and message in the period: never counted here.
  const [other] = await db.insert(projects).values({ key: 'other', name: 'Other' })
  await message(await customer(900_005, '11-04T10:00:00', other.insertId), '11-04T10:00:00', 'client', { project: other.insertId })
  await db.insert(auditEvents).values({ projectId: other.insertId, kind: 'risk_hit', details: '{}', createdAt: t('11-04T10:00:00') })
}

/** `npm run stats`, in this process; with `spawned`, as its own process (once: the path every command shares). */
const stats = async (...args: string[]) => succeeded(await runCli(statsCli, ['--project', 'acme', ...args], { DATABASE_URL: h.database.url }))
const spawned = async (...args: string[]) => succeeded(await spawnCli('src/cli/stats.ts', ['--project', 'acme', ...args], { DATABASE_URL: h.database.url }))
/** The command's outcome once it exited 0 (as execFile's promise resolved only then). */
const succeeded = (outcome: CliOutcome): CliOutcome => {
  expect(outcome.code, outcome.stderr).toBe(0)
  return outcome
}

describe('nearest-rank percentiles', () => {
  it('take the ⌈p/100 · n⌉-th smallest value', () => {
    expect(nearestRank([40, 10, 30, 20], 50)).toBe(20)
    expect(nearestRank([40, 10, 30, 20], 90)).toBe(40)
    expect(nearestRank([7], 90)).toBe(7)
    expect(nearestRank([], 50)).toBeNull()
  })
})

describe('/stats and npm run stats on a seeded history', () => {
  // Responses 1200, 600, 120, 1800, 300, 2400: p50 the 3rd of 6 sorted (600), p90 the 6th (2400).
  // First responses 1200, 120, 300, 2400: p50 the 2nd (300), p90 the 4th (2400).
  // Resolutions 33000, 7200, 3600: p50 the 2nd (7200), p90 the 3rd (33000). Ratings 5, 3, 4.
  it('/stats answers with the exact figures, per agent and per day', async () => {
    const answer = await askInGroup(h, h.world.people.alice.id, h.world.groups.cs.id, '/stats')
    expect(answer.text).toBe(
      [
        '📊 Stats, last 7 day(s) (2026-11-01 00:00 – 2026-11-08 00:00 UTC)',
        'New customers: 3 (direct 2 · FB spring 1)',
        'Messages: 8 from clients, 7 from staff',
        'First response: p50 5m 00s · p90 40m 00s (4)',
        'Response: p50 10m 00s · p90 40m 00s (6)',
        'Resolution: p50 2h 00m · p90 9h 10m (3)',
        'CSAT: 4.00/5 from 3 rating(s), 67% rated 4 or 5',
        'Unanswered customers: 1',
        'Transfers: 1 · risk-phrase hits: 0',
        'By agent:',
        'Carol: 4 msg · first response p50 20m 00s · response p50 20m 00s, p90 40m 00s (4)',
        'Dave: 3 msg · first response p50 2m 00s · response p50 2m 00s, p90 5m 00s (2)',
        'By day:',
        '2026-11-01: 0 new · 2/2 msg · response p50 10m 00s · 1 resolved · 1 rated',
        '2026-11-02: 1 new · 2/3 msg · response p50 2m 00s · 1 resolved · 1 rated',
        '2026-11-03: 1 new · 2/2 msg · response p50 5m 00s · 1 resolved · 1 rated',
        '2026-11-04: 0 new · 0/0 msg · response p50 — · 0 resolved · 0 rated',
        '2026-11-05: 0 new · 0/0 msg · response p50 — · 0 resolved · 0 rated',
        '2026-11-06: 0 new · 0/0 msg · response p50 — · 0 resolved · 0 rated',
        '2026-11-07: 1 new · 2/0 msg · response p50 — · 0 resolved · 0 rated',
      ].join('\n'),
    )
    // The last 2 days: only C4's two messages, unanswered.
    expect((await askInGroup(h, h.world.people.alice.id, h.world.groups.cs.id, '/stats 2')).text).toContain('Messages: 2 from clients, 0 from staff\n')
    // A year of days does not fit one message: whole lines, then where the rest is.
    const year = (await askInGroup(h, h.world.people.alice.id, h.world.groups.cs.id, '/stats 365')).text!
    expect(year.length).toBeLessThanOrEqual(4096)
    expect(year).toMatch(/\n\d{4}-\d{2}-\d{2}: [^\n]+ rated\n… \(the rest: npm run stats\)$/)
    expect((await askInGroup(h, h.world.people.bob.id, h.world.groups.cs.id, '/stats')).text).toBe('Only CS leads can see the statistics.')
    expect((await askInGroup(h, h.world.people.alice.id, h.world.groups.cs.id, '/stats 0')).text).toBe('Use /stats or /stats <days> (1 to 365).')
  })

  it('npm run stats -- --format csv gives the same figures as rows (a date --to includes its day)', async () => {
    const { stdout } = await spawned('--from', '2026-11-01', '--to', '2026-11-07', '--format', 'csv')
    expect(stdout.trimEnd().split('\n')).toEqual([
      'scope,key,new_customers,client_messages,staff_messages,responses,response_p50_s,response_p90_s,first_responses,first_response_p50_s,first_response_p90_s,resolutions,resolution_p50_s,resolution_p90_s,ratings,csat_average,csat_percent,unanswered,transfers,risk_hits',
      'total,,3,8,7,6,600,2400,4,300,2400,3,7200,33000,3,4.00,67,1,1,0',
      'source,direct,2,,,,,,,,,,,,,,,,,',
      'source,FB spring,1,,,,,,,,,,,,,,,,,',
      'day,2026-11-01,0,2,2,2,600,1200,1,1200,1200,1,33000,33000,1,5.00,100,,0,0',
      'day,2026-11-02,1,2,3,2,120,1800,1,120,120,1,7200,7200,1,3.00,0,,0,0',
      'day,2026-11-03,1,2,2,2,300,2400,2,300,2400,1,3600,3600,1,4.00,100,,1,0',
      'day,2026-11-04,0,0,0,0,,,0,,,0,,,0,,,,0,0',
      'day,2026-11-05,0,0,0,0,,,0,,,0,,,0,,,,0,0',
      'day,2026-11-06,0,0,0,0,,,0,,,0,,,0,,,,0,0',
      'day,2026-11-07,1,2,0,0,,,0,,,0,,,0,,,,0,0',
      'agent,Carol,,,4,4,1200,2400,2,1200,2400,,,,,,,,,',
      'agent,Dave,,,3,2,120,300,2,120,300,,,,,,,,,',
    ])
    const text = await stats('--from', '2026-11-01T00:00:00Z', '--to', '2026-11-02T00:00:00Z')
    expect(text.stdout).toContain(
      '📊 Stats, 2026-11-01T00:00:00Z to 2026-11-02T00:00:00Z (2026-11-01 00:00 – 2026-11-02 00:00 UTC)\nNew customers: 0\nMessages: 2 from clients, 2 from staff\n',
    )
  })
})
