import { eq } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { customers } from '../../db/schema/index.js'
import { logAssignment } from '../assignment-log.js'
import { queueProfileCardEdits } from '../crm/profile-card.js'
import { activeTopics } from '../customers.js'
import { enqueueTo } from '../enqueue-to.js'
import { memberName, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { ownersRole } from '../roles.js'

/** A mention of a person without a username, so Telegram notifies them (Bot API `text_mention`). */
export interface Mention {
  type: 'text_mention'
  offset: number
  length: number
  user: { id: number; is_bot: false; first_name: string }
}

export interface OwnerChange {
  /** The new owner's Telegram id; null: none (back to the queue, or the team has nobody). */
  to: number | null
  /** Who decided (a person), or null for the routing function. */
  by: number | null
  /** What triggered it: 'routing', 'queue', 'transfer', 'reassignment'… */
  reason: string
  /** Free text a person gave (`/transfer <reason>`). */
  note?: string | null
}

/**
 * Gives a customer a new CR owner (or none) inside the caller's transaction: locks the
 * customer, writes the owner and the assignment log row, queues the profile card edits and a
 * notice in the customer's owner-role topic that mentions the old and new owner (a
 * `text_mention`, so Telegram notifies them). Returns the previous owner, or undefined when
 * nothing changed (already that owner, or not this project's customer).
 */
export async function changeOwner(tx: DbOrTx, project: ProjectRuntime, customerId: number, change: OwnerChange): Promise<{ from: number | null } | undefined> {
  const [customer] = await tx
    .select({ ownerUserId: customers.ownerUserId })
    .from(customers)
    .where(inProject(customers, project.id, eq(customers.id, customerId)))
    .for('update')
  if (!customer || customer.ownerUserId === change.to) return undefined
  const from = customer.ownerUserId
  await tx
    .update(customers)
    .set({ ownerUserId: change.to, ...(change.to === null ? {} : { queuedAt: null }) })
    .where(eq(customers.id, customerId))
  await logAssignment(tx, {
    projectId: project.id,
    customerId,
    action: 'owner_changed',
    fromOwner: from,
    toOwner: change.to,
    actorUserId: change.by,
    reason: change.reason,
    note: change.note ?? null,
  })
  await queueProfileCardEdits(tx, project, customerId)
  const role = ownersRole(project.roles)
  const topic = role && (await activeTopics(tx, customerId)).find((t) => t.role === role.key)
  if (topic) {
    const notice = ownerNotice(project, from, change)
    await enqueueTo(tx, project, { kind: 'topic', topic }, { type: 'text', target: { kind: 'topic', topicId: topic.id }, ...notice })
  }
  return { from }
}

/** "👤 Owner: Rita → Ben (by Alice: reason)", each owner's name a mention of them. */
export function ownerNotice(project: ProjectRuntime, from: number | null, change: OwnerChange): { text: string; entities: Mention[] } {
  const people = { from, to: change.to }
  const { text, marks } = textsOf(project).staffMarked(
    'ownerNotice',
    {
      hasFrom: from === null ? 'no' : 'yes',
      hasTo: change.to === null ? 'no' : 'yes',
      hasBy: change.by === null ? 'no' : 'yes',
      by: change.by === null ? '' : memberName(project, change.by),
      hasNote: change.note ? 'yes' : 'no',
      note: change.note ?? '',
    },
    { from: from === null ? '' : memberName(project, from), to: change.to === null ? '' : memberName(project, change.to) },
  )
  const entities: Mention[] = marks.map((mark) => {
    const userId = people[mark.name as keyof typeof people]!
    return { type: 'text_mention', offset: mark.offset, length: mark.length, user: { id: userId, is_bot: false, first_name: memberName(project, userId) } }
  })
  return { text, entities }
}
