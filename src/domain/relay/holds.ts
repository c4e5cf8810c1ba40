import { randomBytes } from 'node:crypto'
import { isNull, ne, or, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import { messages, relayHolds } from '../../db/schema/index.js'
import type { ProjectRuntime } from '../project-runtime.js'
import type { TopicRef } from '../topic-notices.js'
import type { RelaySource } from './policies/policy.js'
import { projectRow } from '../../db/project-scope.js'

/** What a release needs to go on where the hold stopped (stored as JSON with the hold). */
export interface HoldResume {
  /** The position of the policy after the one that held. */
  next: number
  source: RelaySource
  /** A staff message's attribution. */
  attribution?: string
  typedIn?: { topic: TopicRef; messageId: number }
  /** A held edit: the new version, and the message's edit count when it came (a later version wins over it). */
  version?: { raw: object; text: string | null; editCount: number }
}

export interface HoldInput {
  change: 'message' | 'edit'
  policy: string
  reason: string
  resume: HoldResume
}

/** Records a hold; returns its token (16 URL-safe characters: short enough for a button's callback data, not guessable). */
export async function storeHold(tx: DbOrTx, project: Pick<ProjectRuntime, 'id'>, stored: Pick<MessageRow, 'id'>, hold: HoldInput): Promise<string> {
  const token = randomBytes(12).toString('base64url')
  await tx.insert(relayHolds).values(
    projectRow(relayHolds, project.id, {
      messageId: stored.id,
      token,
      policy: hold.policy.slice(0, 64),
      reason: hold.reason.slice(0, 255),
      change: hold.change,
      resume: JSON.stringify(hold.resume),
    }),
  )
  return token
}

/** A filter for history replays: a message a policy still holds is not shown in a new topic before its release. */
export function notHeldByPolicy(): SQL {
  return or(isNull(messages.notRelayed), ne(messages.notRelayed, 'held'))!
}
