import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { retryFailedUpdate } from '../../src/db/repositories/updates.js'
import { projects, updates } from '../../src/db/schema/index.js'
import { outboxCli as outboxCommand } from '../../src/cli/outbox.js'
import { runCli, spawnCli, type CliOutcome } from '../support/cli.js'
import { buttonData, waitForTopicMessage } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

/** `npm run outbox`, in this process; with `spawned`, as its own process (once: the path every command shares). */
const outboxCli = async (...args: string[]) => outputOf(await runCli(outboxCommand, args, { DATABASE_URL: h.database.url }))
const spawned = async (...args: string[]) => outputOf(await spawnCli('src/cli/outbox.ts', args, { DATABASE_URL: h.database.url }))
const outputOf = ({ code, stdout, stderr }: CliOutcome) => ({ code, output: stdout + stderr })

describe('failed updates', () => {
  it('an update whose handling keeps failing is parked, listed by /failed and the CLI, and a CS lead retries it', async () => {
    const { sim, world } = h
    const { db } = h.database
    const cs = world.groups.cs.id
    const clientBot = world.bots.client.id
    const stateOf = async (botId: number, updateId: number) =>
      (
        await db
          .select()
          .from(updates)
          .where(and(eq(updates.botId, botId), eq(updates.updateId, updateId)))
      )[0]

    // A fault the operator can fix: while the messages table is away, handling a client message fails.
    await db.execute(sql`RENAME TABLE messages TO messages_away`)
    sim.sendPrivate(world.people.zoe.id, clientBot, { text: 'Is my parcel lost?' })
    let updateId = 0
    await pollUntil(
      async () => {
        const [row] = await db
          .select()
          .from(updates)
          .where(and(eq(updates.botId, clientBot), sql`${updates.payload} LIKE '%parcel lost%'`))
        updateId = row?.updateId ?? 0
        return (row?.attempts ?? 0) >= 1
      },
      { message: 'the first attempt failed' },
    )
    // Its earlier attempts, compressed: the next redrive makes the last one, which parks it.
    await db
      .update(updates)
      .set({ attempts: 4, updatedAt: new Date(Date.now() - 60_000) })
      .where(and(eq(updates.botId, clientBot), eq(updates.updateId, updateId)))
    await pollUntil(async () => (await stateOf(clientBot, updateId))?.state === 'failed', { message: 'the update parked as failed' })
    await db.execute(sql`RENAME TABLE messages_away TO messages`)

    // Another project's failed update must stay out of this project's /failed.
    const [other] = await db.insert(projects).values({ key: 'other', name: 'Other' }).$returningId()
    await db
      .insert(updates)
      .values({ botId: 999, updateId: 1, projectId: other!.id, payload: '{"update_id":1,"message":{}}', state: 'failed', attempts: 5, error: 'Error: elsewhere' })

    sim.sendGroup(world.people.alice.id, cs, { text: '/failed' })
    const list = await sim.waitFor(() => sim.chatMessages(cs).find((m) => m.from.is_bot && m.text?.includes('Failed updates')), { message: '/failed answer' })
    expect(list.text).toContain(`update ${clientBot}:${updateId} (message, 5 attempts)`)
    expect(list.text).toMatch(/5 attempts\): Table '[^']*\.messages' doesn't exist/)
    expect(list.text).not.toContain('999:1')

    const cli = await spawned('list')
    expect(cli.code).toBe(0)
    expect(cli.output).toContain(`update ${clientBot}:${updateId} (message, 5 attempts)`)
    expect(cli.output).toContain('update 999:1 (message, 5 attempts): Error: elsewhere')

    const retry = buttonData(list, `${clientBot}:${updateId}`)
    expect(await sim.pressButton(world.people.bob.id, cs, list.message_id, retry)).toMatchObject({ text: 'Only CS leads can retry failed updates.' })
    // Telegram only delivers data of a button on the message, so the project scope is checked where the button's retry acts.
    expect(await retryFailedUpdate(db, { botId: 999, updateId: 1 }, h.projectId)).toBe(false)
    expect((await stateOf(999, 1))?.state).toBe('failed')
    expect((await stateOf(clientBot, updateId))?.state).toBe('failed')

    expect(await sim.pressButton(world.people.alice.id, cs, list.message_id, retry)).toMatchObject({ text: `Update ${clientBot}:${updateId} will be handled again.` })
    await waitForTopicMessage(h, cs, zoe.cs, 'Is my parcel lost?')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Is my parcel lost?')
    // The copies may go out before the handler marks its update handled (right after its transaction).
    await pollUntil(async () => (await stateOf(clientBot, updateId))?.state !== 'received', { message: 'the retried update finished' })
    expect(await stateOf(clientBot, updateId)).toMatchObject({ state: 'handled' })

    expect(await outboxCli('retry-update', `${clientBot}:${updateId}`)).toEqual({ code: 1, output: expect.stringContaining('is not on the failed list') })
    expect(await outboxCli('retry-update', '999:1')).toEqual({ code: 0, output: expect.stringContaining('Update 999:1 will be handled again') })
    expect(await stateOf(999, 1)).toMatchObject({ state: 'received', attempts: 0 })
  })

  it('parks an unreadable stored update instead of letting it stop the redrive of the others', async () => {
    const { world } = h
    const { db } = h.database
    const clientBot = world.bots.client.id
    const [handled] = await db
      .select()
      .from(updates)
      .where(and(eq(updates.botId, clientBot), eq(updates.state, 'handled'), sql`${updates.payload} LIKE '%"text":"Is my parcel lost?"%'`))
    const redriven = JSON.parse(handled!.payload) as { update_id: number; message: { message_id: number; text: string } }
    redriven.update_id = 900_000_001
    redriven.message.message_id = 900_001
    redriven.message.text = 'Stored before a crash, handled by the redrive'
    const longAgo = new Date(Date.now() - 60_000)
    await db.insert(updates).values([
      { botId: clientBot, updateId: 900_000_000, projectId: h.projectId, payload: '{"update_id":900000000,"message":', updatedAt: longAgo },
      { botId: clientBot, updateId: 900_000_001, projectId: h.projectId, payload: JSON.stringify(redriven), updatedAt: longAgo },
    ])
    // The redrive runs every 5 s.
    await h.sim.waitFor(() => h.sim.chatMessages(world.groups.cs.id, { threadId: zoe.cs }).find((m) => m.text?.includes('handled by the redrive')), {
      message: 'redriven message in the CS topic',
    })
    const [unreadable] = await db
      .select()
      .from(updates)
      .where(and(eq(updates.botId, clientBot), eq(updates.updateId, 900_000_000)))
    expect(unreadable).toMatchObject({ state: 'failed', error: expect.stringContaining('the stored payload is not valid JSON') })
  })
})
