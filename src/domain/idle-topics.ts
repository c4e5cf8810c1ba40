import { and, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm'
import { inProject, inProjects } from '../db/project-scope.js'
import type { DbOrTx } from '../db/client.js'
import { customers, topics } from '../db/schema/index.js'
import type { DomainDeps } from './deps.js'
import { textsOf, type ProjectRuntime } from './project-runtime.js'
import { enqueueTo } from './enqueue-to.js'
import { queueTopicText } from './topic-notices.js'

const DAY_MS = 86_400_000
/** Topics closed per transaction batch of one run; the next run takes the rest. */
const BATCH = 500

/** Idle closing counts in days, so activity older than this is worth writing down again. */
const TOUCH_GRANULARITY_MS = 10 * 60_000

/**
 * Marks a topic as just used (a copy queued into it, or a staff message written in it). Skipped
 * when the caller knows it was marked in the last few minutes: one write less per message.
 */
export async function touchTopic(tx: DbOrTx, topicId: number, now: Date, lastActivityAt?: Date | null): Promise<void> {
  await touchTopics(tx, [{ id: topicId, lastActivityAt }], now)
}

/** `touchTopic` for the topics of one message's copies, in one statement. */
export async function touchTopics(tx: DbOrTx, used: Array<{ id: number; lastActivityAt?: Date | null }>, now: Date): Promise<void> {
  const stale = used.filter((topic) => !topic.lastActivityAt || now.getTime() - topic.lastActivityAt.getTime() >= TOUCH_GRANULARITY_MS).map((topic) => topic.id)
  if (stale.length > 0) await tx.update(topics).set({ lastActivityAt: now }).where(inArray(topics.id, stale))
}

/**
 * The projects with `topics.idleCloseDays` that have an open topic idle for longer: one statement
 * for all of them (projects grouped by their days), so the job's idle cost does not grow with the projects.
 */
export async function projectsWithIdleTopics(db: DbOrTx, projects: readonly ProjectRuntime[], now: Date): Promise<ProjectRuntime[]> {
  const byDays = new Map<number, number[]>()
  for (const p of projects) {
    const days = p.config.topics.idleCloseDays
    if (days) byDays.set(days, [...(byDays.get(days) ?? []), p.id])
  }
  if (byDays.size === 0) return []
  const lastActivity = sql`COALESCE(${topics.lastActivityAt}, ${topics.createdAt})`
  const rows = await db
    .selectDistinct({ projectId: topics.projectId })
    .from(topics)
    .where(
      and(
        eq(topics.state, 'open'),
        isNotNull(topics.threadId),
        or(...[...byDays].map(([days, ids]) => inProjects(topics, ids, lt(lastActivity, new Date(now.getTime() - days * DAY_MS))))),
      ),
    )
  const idle = new Set(rows.map((r) => r.projectId))
  return projects.filter((p) => idle.has(p.id))
}

/**
 * Closes the project's open topics without activity for `topics.idleCloseDays` (off when
 * unset). Each close takes the customer's row lock, like an incoming client message, so a
 * message either keeps the topic open or arrives after the close and reopens it.
 */
export async function closeIdleTopics(deps: Pick<DomainDeps, 'db' | 'logger' | 'notify' | 'clock'>, project: ProjectRuntime, now = deps.clock.now()): Promise<number> {
  const idleDays = project.config.topics.idleCloseDays
  if (!idleDays) return 0
  const cutoff = new Date(now.getTime() - idleDays * DAY_MS)
  const lastActivity = sql`COALESCE(${topics.lastActivityAt}, ${topics.createdAt})`
  const idle = await deps.db
    .select()
    .from(topics)
    .where(inProject(topics, project.id, eq(topics.state, 'open'), isNotNull(topics.threadId), lt(lastActivity, cutoff)))
    .orderBy(topics.id)
    .limit(BATCH)
  let closed = 0
  for (const topic of idle) {
    const done = await deps.db.transaction(async (tx) => {
      await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, topic.customerId)).for('update')
      const [result] = await tx
        .update(topics)
        .set({ state: 'closed' })
        .where(and(eq(topics.id, topic.id), eq(topics.state, 'open'), lt(lastActivity, cutoff)))
      if (result.affectedRows === 0) return false
      await queueTopicText(tx, project, topic, textsOf(project).staff('topicIdleClosed', { days: idleDays }))
      await enqueueTo(tx, project, { kind: 'topic', topic }, { type: 'close_topic', topicId: topic.id })
      return true
    })
    if (done) closed++
  }
  if (closed) {
    deps.notify()
    deps.logger.info({ project: project.config.key, closed, idleDays }, 'idle topics closed')
  }
  return closed
}
