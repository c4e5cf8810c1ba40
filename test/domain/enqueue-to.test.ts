import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConfig } from '../../src/config/index.js'
import type { MessageRow } from '../../src/db/repositories/relay.js'
import { outbox, projects } from '../../src/db/schema/index.js'
import { enqueueTo } from '../../src/domain/enqueue-to.js'
import type { BotRef, ProjectRuntime } from '../../src/domain/project-runtime.js'
import { queueCopy, topicRoute } from '../../src/domain/routing.js'
import { Roster } from '../../src/domain/roster.js'
import { STAFF_ROLES } from '../../src/domain/roles.js'
import type { Topic } from '../../src/domain/customers.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

const config = createConfig({
  database: { url: 'mysql://u:p@127.0.0.1:3306/db' },
  projects: [
    {
      key: 'acme',
      name: 'Acme',
      bots: { client: '1:a', cs: '2:b', cr: '3:c', treatment: '4:d' },
      groups: { cs: { chatId: -1001 }, cr: [{ key: 'north', title: 'North', chatId: -1002 }], treatment: { chatId: -1003 } },
    },
  ],
})
const bot = (id: number, role: string): BotRef[] => [{ id, role, username: `${role}_bot` }]

/** Lane and bot of each kind of address come from the role registry; nobody picks them by hand. */
describe('enqueueTo', () => {
  let database: TestDatabase
  let runtime: (albumWindowMs: number) => ProjectRuntime
  const rowOf = async (id: number) => (await database.db.select().from(outbox)).find((row) => row.id === id)!

  beforeAll(async () => {
    database = await createTestDatabase()
    const [inserted] = await database.db.insert(projects).values({ key: 'acme', name: 'Acme' })
    const id = Number(inserted.insertId)
    runtime = (albumWindowMs) => ({
      id,
      config: config.projects[0]!,
      bots: { client: bot(1, 'client'), cs: bot(2, 'cs'), cr: bot(3, 'cr'), treatment: bot(4, 'treatment') },
      roles: STAFF_ROLES,
      roster: new Roster(config.projects[0]!.staff),
      albumWindowMs,
    })
  })
  afterAll(() => database?.close())

  it('derives the priority class and bot of each address, and writes the destination once', async () => {
    const project = runtime(600)
    const text = { type: 'text', target: { kind: 'chat', chatId: 1 }, text: 'x' } as const
    const cases = [
      [{ kind: 'topic', topic: { id: 11, role: 'cr' } }, {}, 'live', 3, 'topic:11'],
      [{ kind: 'topic', topic: { id: 12, role: 'treatment' } }, {}, 'live', 4, 'topic:12'],
      [{ kind: 'topic', topic: { id: 11, role: 'cr' } }, { stream: 'replay' }, 'replay', 3, 'topic:11'],
      [{ kind: 'topic', topic: { id: 13, role: 'cs' } }, { stream: 'prompt' }, 'prompt', 2, 'topic:13'],
      [{ kind: 'topic', topic: { id: 11, role: 'cr' } }, { aside: true, via: 9 }, 'live', 9, 'topic:11:aside'],
      [{ kind: 'system_topic', systemTopicId: 5 }, {}, 'prompt', 2, 'system:5'],
      // A private chat is the bot's own: its rows are ordered apart from another bot's chat with the person.
      [{ kind: 'client', chatId: 77 }, {}, 'live', 1, 'chat:77:bot:1'],
      [{ kind: 'client', chatId: 77, from: 'treatment' }, {}, 'live', 1, 'chat:77:bot:1'],
      // A bulk row is ordered only among the bulk rows of its chat: a live reply never waits behind it.
      [{ kind: 'client', chatId: 77 }, { stream: 'bulk' }, 'bulk', 1, 'chat:77:bot:1:bulk'],
      [{ kind: 'posted', chatId: -1003, botId: 8 }, {}, 'live', 8, 'chat:-1003'],
      [{ kind: 'posted', chatId: -1002, botId: 8, topicId: 11 }, {}, 'live', 8, 'topic:11'],
      [{ kind: 'posted', chatId: 77, botId: 1 }, {}, 'live', 1, 'chat:77:bot:1'],
    ] as const
    for (const [address, options, priorityClass, botId, destination] of cases) {
      const row = await rowOf(await database.db.transaction((tx) => enqueueTo(tx, project, address, text, options)))
      expect({ class: row.class, botId: row.botId, destination: row.destination }).toEqual({ class: priorityClass, botId, destination })
    }
  })

  it('holds album parts back for the album window of the app that queued them, not of another app in the process', async () => {
    const topic = { id: 21, role: 'cs', chatId: -1001, lastActivityAt: new Date() } as Topic
    let messageId = 0
    const delayOf = async (albumWindowMs: number) => {
      const album = { id: ++messageId, mediaGroupId: 'album-1' } as MessageRow
      const before = Date.now()
      const id = await database.db.transaction((tx) => queueCopy(tx, runtime(albumWindowMs), album, topicRoute(topic, 'relay'), new Date(), { returnOutboxId: true }))
      return (await rowOf(id)).nextAttemptAt.getTime() - before
    }
    const short = await delayOf(1_000)
    const long = await delayOf(60_000)
    expect(short).toBeLessThan(30_000)
    expect(long).toBeGreaterThan(30_000)
  })

  it('merges several waiting edits of one message into one row with the latest content', async () => {
    const project = runtime(600)
    const card = { kind: 'posted', chatId: -1001, botId: 2 } as const
    const edit = (text: string, messageId = 77) => ({ type: 'edit_text', chatId: -1001, messageId, text }) as const
    const first = await database.db.transaction((tx) => enqueueTo(tx, project, card, edit('v1')))
    const second = await database.db.transaction((tx) => enqueueTo(tx, project, card, edit('v2')))
    const other = await database.db.transaction((tx) => enqueueTo(tx, project, card, edit('other', 78)))
    expect(second).toBe(first)
    expect(other).not.toBe(first)
    expect(JSON.parse((await rowOf(first)).job)).toMatchObject({ text: 'v2', messageId: 77 })
    // Once a worker claimed it, a new edit is a row of its own (the claimed one may hold the old content).
    await database.db.update(outbox).set({ state: 'sending' }).where(eq(outbox.id, first))
    const third = await database.db.transaction((tx) => enqueueTo(tx, project, card, edit('v3')))
    expect(third).not.toBe(first)
  })
})
