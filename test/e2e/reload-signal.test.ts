import { writeFileSync } from 'node:fs'
import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { createConfig } from '../../src/config/index.js'
import { projects, staff } from '../../src/db/schema/index.js'
import { createSampleWorld, sampleConfig } from '../../src/demo/sample-world.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { pollUntil } from '../support/poll.js'
import { serviceProcess } from '../support/service-process.js'

let sim: Simulator | undefined
let database: TestDatabase | undefined
let service: ReturnType<typeof serviceProcess> | undefined
afterEach(async () => {
  await service?.kill()
  await sim?.close()
  await database?.close()
})

describe('SIGHUP', () => {
  it('re-reads the agents from the config file in the running process; a bad file is refused and logged', async () => {
    sim = await startSimulator()
    database = await createTestDatabase()
    const world = createSampleWorld(sim)
    const config = sampleConfig(sim, world, database.url, { log: { level: 'info' } })
    createConfig(config)
    service = serviceProcess(config)
    await service.start()
    const db = database.db
    const [project] = await db.select().from(projects).where(eq(projects.key, world.project.key))
    const malloryRow = () =>
      db
        .select()
        .from(staff)
        .where(and(eq(staff.projectId, project!.id), eq(staff.telegramUserId, world.people.mallory.id)))
    expect(await malloryRow()).toEqual([])

    writeFileSync(service.file, JSON.stringify({ ...config, agents: [{ id: world.people.mallory.id, name: 'Mallory', projects: { nowhere: { roles: ['cs'] } } }] }))
    service.signal('SIGHUP')
    await pollUntil(() => Promise.resolve(service!.output().includes('roster reload refused')), { message: 'the refusal logged' })
    expect(service.output()).toContain('unknown project \\"nowhere\\"')

    writeFileSync(service.file, JSON.stringify({ ...config, agents: [{ id: world.people.mallory.id, name: 'Mallory', projects: { [world.project.key]: { roles: ['cr'] } } }] }))
    service.signal('SIGHUP')
    await pollUntil(() => Promise.resolve(service!.output().includes('rosters reloaded')), { message: 'the reload logged' })
    // The roster is mirrored into the staff table on reload.
    expect(await malloryRow()).toMatchObject([{ displayName: 'Mallory', roles: 'cr' }])
    expect(await service.stop()).toBe(0)
  }, 60_000)
})
