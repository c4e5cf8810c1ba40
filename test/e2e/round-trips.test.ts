import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages, relayLinks } from '../../src/db/schema/index.js'
import { waitForTopicMessage } from '../support/flows.js'
import { pollUntil, serviceSettled } from '../support/poll.js'
import { createQueryRecorder } from '../support/query-recorder.js'
import { useOnboardedZoe } from '../support/suite.js'

/**
 * Round trips to the database, counted with the query logger against the real database (not
 * timed): what one relayed client message costs, and what an idle service costs.
 */
const recorder = createQueryRecorder()
// The background jobs (the queue every 2 s, broadcasts' progress every second, risk prompts every
// 5 s, reminders and moves every minute) run once a year here, so the counts are the relay's and
// the workers' own (the broadcasts' scan fell into the measured window on CI).
const yearly = '0 0 1 1 *'
const { h, zoe } = useOnboardedZoe({
  queryLogger: recorder,
  config: { cron: { queue: yearly, unansweredReminders: yearly, reassignments: yearly, riskPrompts: yearly, broadcasts: yearly } },
})

/** A claim's read of the due rows, and its update of those still waiting. */
const isClaim = (statement: string) => /^\s*SELECT o\.id FROM outbox o FORCE INDEX \(outbox_due_idx\)/.test(statement)
const isClaimUpdate = (statement: string) => /^\s*UPDATE outbox SET state = 'sending'/.test(statement)
const isReadBack = (statement: string) => /^select .*from `outbox`.*`outbox`.`claim_token` = \?/s.test(statement)

/** The idle workers' look for due rows (`classDueTimes`): once per poll interval, not per message. */
const isDueCheck = (statement: string) => /AS class, TIMESTAMPDIFF\(MICROSECOND/.test(statement)
/** The instance's look for updates left unhandled of the bots it polls (`unhandledUpdatesOfBots`): every 5 s, not per message (it failed the count once under load). */
const isRedriveScan = (statement: string) => /^select `bot_id`, `update_id`, `payload` from `updates`/.test(statement)
/** The instance's lease heartbeat (renewal, take-over, recount). */
const isLeaseHeartbeat = (statement: string) => /\bleases\b/.test(statement)
/** Background work that may fall into the measured window. */
/** A pooled connection's auto-increment step, read on its first multi-row insert (src/db/insert-ids.ts): once per connection, not per message. */
const isStepRead = (statement: string) => /^SELECT @@SESSION\.auto_increment_increment/.test(statement)
const isBackground = (statement: string) => isDueCheck(statement) || isRedriveScan(statement) || isLeaseHeartbeat(statement) || isStepRead(statement)

/**
 * One client message with two copies (CS and CR), each statement counted: the update stored and
 * marked handled; begin, the customer's locking read (the flood check, the active topics and
 * whether the customer already waits are columns of it), the message, its links in one insert,
 * the jobs in one insert, the customer's unanswered wait started (one insert, or an upsert; the topics were
 * touched at opening, minutes ago at most, so not again), commit; one claim (a plain read of the
 * due rows, the update that takes them) and its read-back (which reads the copies' links, messages
 * and topics too), and per copy one statement recording the copy and marking its row sent.
 */
const STATEMENTS_PER_MESSAGE = 14

describe('round trips to the database', () => {
  it(`relays one client message (two copies) in at most ${STATEMENTS_PER_MESSAGE} statements`, async () => {
    const { sim, world } = h
    await serviceSettled(h.database.db)
    recorder.statements.length = 0
    const original = sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'count my round trips' })
    await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'count my round trips')
    await waitForTopicMessage(h, world.groups.north.id, zoe.cr, 'count my round trips')
    const [stored] = await h.database.db.select().from(messages).where(eq(messages.messageId, original.message_id))
    await pollUntil(async () => (await h.database.db.select().from(relayLinks).where(eq(relayLinks.messageId, stored!.id))).every((l) => l.copyMessageId !== null))
    await serviceSettled(h.database.db)
    const statements = recorder.statements.filter((statement) => !isBackground(statement))
    // A worker woken with the others may find the row already taken: its claim's statements that
    // led to no read-back are the wake-up's cost, not the message's.
    const readBacks = statements.filter(isReadBack).length
    const emptyClaims = statements.filter(isClaim).length - readBacks + statements.filter(isClaimUpdate).length - readBacks
    expect(readBacks, 'the claims read back what they took').toBeGreaterThan(0)
    expect(statements.length - emptyClaims, statements.join('\n')).toBeLessThanOrEqual(STATEMENTS_PER_MESSAGE)
    // Zoe's first relayed message: her message and her first wait are plain INSERTs. INSERT IGNORE
    // and an upsert lock the gap they insert into until the commit, and new customers' rows all go
    // into the last gap: their first messages' relay transactions waited for each other.
    expect(statements.filter((statement) => /^insert ignore into `messages`|ON DUPLICATE KEY/i.test(statement))).toEqual([])
    expect(statements.filter((statement) => /^insert into `(messages|unanswered_waits)`/.test(statement))).toHaveLength(2)
  })

  it('starts no second wait for a message while an earlier one still waits', async () => {
    const { sim, world } = h
    await serviceSettled(h.database.db)
    recorder.statements.length = 0
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'still waiting' })
    await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'still waiting')
    await waitForTopicMessage(h, world.groups.north.id, zoe.cr, 'still waiting')
    await serviceSettled(h.database.db)
    const statements = recorder.statements.filter((statement) => !isBackground(statement))
    // The customer's locking read names the table (its wait is a column of it); nothing else may.
    expect(statements.filter((statement) => /unanswered_waits/i.test(statement) && !/^select `id`/.test(statement))).toEqual([])
  })

  it('costs one look for due rows per poll interval when idle, not a claim per class and worker', async () => {
    await serviceSettled(h.database.db)
    recorder.statements.length = 0
    const started = Date.now()
    // A measurement over a fixed window, not a wait for something to happen.
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const seconds = (Date.now() - started) / 1000
    // Plus a few for the instance's redrive (every 5 s) and its lease heartbeat (every 2 s).
    const allowed = Math.ceil(seconds * (1000 / h.config.delivery.pollIntervalMs)) + 12
    expect(recorder.statements.length, recorder.statements.join('\n')).toBeLessThanOrEqual(allowed)
  })
})
