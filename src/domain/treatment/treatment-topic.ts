import { and, eq, inArray, max } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { activeTopicStates, topics } from '../../db/schema/index.js'
import type { Topic } from '../customers.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { onDemandRole } from '../roles.js'

/** The customer's Treatment topic that still takes messages, if any. */
export async function activeTreatmentTopic(db: DbOrTx, project: ProjectRuntime, customerId: number): Promise<Topic | undefined> {
  const [row] = await db
    .select()
    .from(topics)
    .where(and(eq(topics.customerId, customerId), eq(topics.role, onDemandRole(project.roles).key), inArray(topics.state, activeTopicStates)))
  return row
}

/** The next free generation of the customer's Treatment topics, so the unique key holds for a new one. */
export async function nextTreatmentGeneration(db: DbOrTx, project: ProjectRuntime, customerId: number): Promise<number> {
  const [row] = await db
    .select({ top: max(topics.generation) })
    .from(topics)
    .where(and(eq(topics.customerId, customerId), eq(topics.role, onDemandRole(project.roles).key)))
  return row?.top === null || row?.top === undefined ? 0 : row.top + 1
}
