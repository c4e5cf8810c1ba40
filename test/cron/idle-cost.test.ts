import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { broadcastsJob } from '../../src/cron/broadcasts.js'
import { idleTopicsJob } from '../../src/cron/idle-topics.js'
import { queueJob } from '../../src/cron/queue.js'
import { reassignmentsJob } from '../../src/cron/reassignments.js'
import { riskPromptsJob } from '../../src/cron/risk-prompts.js'
import type { CronJob } from '../../src/cron/scheduler.js'
import { unansweredRemindersJob } from '../../src/cron/unanswered-reminders.js'
import { createDatabase, type DatabaseHandle } from '../../src/db/client.js'
import { customers } from '../../src/db/schema/index.js'
import { createSampleWorld } from '../../src/demo/sample-world.js'
import type { DomainDeps } from '../../src/domain/deps.js'
import { projectsWithWaitingCustomers } from '../../src/domain/owners/queue.js'
import type { ProjectRuntime } from '../../src/domain/project-runtime.js'
import { startHarness, type Harness } from '../support/harness.js'
import { createQueryRecorder, type QueryRecorder } from '../support/query-recorder.js'

/**
 * An agency runs a hundred projects in one service: a periodic job with nothing to do must cost
 * the same statements for 3 projects as for 1 (one statement across projects, not one per project).
 */
describe('idle cron jobs across projects', () => {
  let h: Harness
  let recorder: QueryRecorder
  let recorded: DatabaseHandle
  let deps: DomainDeps
  const jobs: Array<[string, (projects: ProjectRuntime[]) => CronJob]> = [
    ['queue', (projects) => queueJob(deps, projects, '* * * * *')],
    ['risk prompts', (projects) => riskPromptsJob(deps, projects, '* * * * *')],
    ['reassignments', (projects) => reassignmentsJob(deps, projects, '* * * * *')],
    ['unanswered reminders', (projects) => unansweredRemindersJob(deps, projects, '* * * * *', () => {})],
    ['idle topics', (projects) => idleTopicsJob(deps, projects, '* * * * *')],
    ['broadcasts', (projects) => broadcastsJob(deps, projects, '* * * * *')],
  ]

  beforeAll(async () => {
    h = await startHarness({
      secondBrand: true,
      project: { topics: { idleCloseDays: 30 } },
      betaProject: { topics: { idleCloseDays: 7 } },
      prepare: (sim) => ({ projects: [{ ...createSampleWorld(sim, { keySuffix: '3' }).project, key: 'gamma', name: 'Gamma Brand' }] }),
    })
    // The jobs' own statements only (the running service's workers and pollers use the app's pools).
    recorder = createQueryRecorder()
    recorded = createDatabase(h.database.url, { poolSize: 2, queryLogger: recorder })
    deps = { ...h.app.deps, db: recorded.db }
  })
  afterAll(async () => {
    await recorded?.close()
    await h?.stop()
  })

  const statementsOf = async (job: CronJob) => {
    recorder.statements.length = 0
    await job.run()
    return recorder.statements.length
  }

  it.each(jobs)('%s: the same statements for 3 projects as for 1', async (_name, job) => {
    expect(h.app.projects).toHaveLength(3)
    const one = await statementsOf(job(h.app.projects.slice(0, 1)))
    const three = await statementsOf(job(h.app.projects))
    expect(one).toBeGreaterThan(0)
    expect(three).toBe(one)
  })

  it('finds the one project with a customer waiting for an owner', async () => {
    const gamma = h.app.projects.find((p) => p.config.key === 'gamma')!
    await h.database.db.insert(customers).values({ projectId: gamma.id, telegramUserId: 777_001, clientBotId: 1, state: 'active', conversation: 'open', queuedAt: new Date() })
    expect((await projectsWithWaitingCustomers(recorded.db, h.app.projects)).map((p) => p.config.key)).toEqual(['gamma'])
  })
})
