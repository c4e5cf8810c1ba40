import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConfig } from '../../src/config/index.js'
import { projects, systemTopics } from '../../src/db/schema/index.js'
import { ensureOnboardingTopic } from '../../src/domain/onboarding/system-topic.js'
import type { BotRef, ProjectRuntime } from '../../src/domain/project-runtime.js'
import { Roster } from '../../src/domain/roster.js'
import { STAFF_ROLES } from '../../src/domain/roles.js'
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

/**
 * The first clients of a project give their email at the same moment: each handling's
 * transaction asks for the Onboarding topic, and one of them creates it.
 */
describe('ensureOnboardingTopic', () => {
  let database: TestDatabase
  let project: ProjectRuntime

  beforeAll(async () => {
    database = await createTestDatabase()
    const [inserted] = await database.db.insert(projects).values({ key: 'acme', name: 'Acme' })
    project = {
      id: Number(inserted.insertId),
      config: config.projects[0]!,
      bots: { client: bot(1, 'client'), cs: bot(2, 'cs'), cr: bot(3, 'cr'), treatment: bot(4, 'treatment') },
      roles: STAFF_ROLES,
      roster: new Roster(config.projects[0]!.staff),
      albumWindowMs: 600,
    }
  })
  afterAll(() => database?.close())

  it('finds the topic another transaction created after this one began reading', async () => {
    let readDone!: () => void
    const read = new Promise<void>((resolve) => (readDone = resolve))
    let createdDone!: () => void
    const created = new Promise<void>((resolve) => (createdDone = resolve))
    // This transaction reads first (InnoDB takes its snapshot then), as an email's handling does
    // before it queues the card; the other creates the topic and commits meanwhile.
    const late = database.db.transaction(async (tx) => {
      await tx.select().from(projects)
      readDone()
      await created
      return ensureOnboardingTopic(tx, project)
    })
    await read
    const first = await database.db.transaction((tx) => ensureOnboardingTopic(tx, project))
    createdDone()
    // Before: 'Onboarding topic row vanished' (the row was not in the late one's snapshot), and
    // the client's email waited 30 s for the redrive.
    expect(await late).toBe(first)
    expect(await database.db.select().from(systemTopics)).toHaveLength(1)
  })
})
