import type { DbOrTx } from '../../../db/client.js'
import type { MessageRow } from '../../../db/repositories/relay.js'
import type { NotRelayedReason } from '../../../db/schema/index.js'
import type { Customer } from '../../customers.js'
import type { ProjectRuntime } from '../../project-runtime.js'

/** Where a message to relay came from: a client, staff typing in a topic, a canned reply (`/c`), the API, a suggested reply sent with its Send button. */
export type RelaySource = 'client' | 'typed' | 'canned' | 'api' | 'suggestion'

/** One copy a message gets (or has, for an edit): to the client's private chat, or into a topic of a role. */
export interface CopyTarget {
  to: 'client' | 'topic'
  chatId: number
  topicId?: number
  role?: string
  kind: 'relay' | 'mirror' | 'replay'
}

/** A formatting entity of a variant's text, shaped as the Bot API's MessageEntity. */
export interface VariantEntity {
  type: string
  offset: number
  length: number
  url?: string
  language?: string
  custom_emoji_id?: string
}

/** A copy's own text (a translation, a rewritten link): shown instead of the original's text or caption. */
export interface CopyVariant {
  text: string
  entities?: VariantEntity[]
}

/**
 * What the policies look at: the message (or new version) before it is relayed. Client
 * messages carry the facts of the customer's locking read (no policy reads them again).
 */
export interface RelayDraft {
  project: ProjectRuntime
  origin: 'client' | 'staff'
  source: RelaySource
  /** 'message': a new message; 'edit': a new version of a stored one. */
  change: 'message' | 'edit'
  customerId: number
  /** The customer as locked by the relay (client messages); absent for edits. */
  customer?: Customer
  text: string
  /** The copies it would get, in routing order. */
  copies: readonly CopyTarget[]
  /** The client is over the flood limit (from the locking read, or the edit counter). */
  flooding: boolean
  now: Date
}

/**
 * What happens after the message is stored, in the same transaction (a notice, a prompt with the
 * hold's token). Named `after`, never `then`: a verdict with a `then` would be a thenable, and
 * awaiting the policy's answer would call it.
 */
export type AfterStore<T> = (tx: DbOrTx, stored: MessageRow, detail: T) => Promise<void>

/** A policy's decision on a draft. 'pass' and 'rewrite' let the next policy run; the others end the pipeline. */
export type PolicyVerdict =
  | { kind: 'pass' }
  /** Stored and kept back until `releaseHold(token)` relays it as if it had passed. */
  | { kind: 'hold'; reason: string; after?: AfterStore<{ token: string }> }
  /** Passed on, some copies with their own text: `variantOf` is asked for each copy. */
  | { kind: 'rewrite'; variantOf: (copy: CopyTarget) => CopyVariant | undefined }
  /** Not relayed: the author gets `text` instead. */
  | { kind: 'respond'; text: string }
  /** Stored only; `reason` is recorded on the message (flood, banned, dropped). */
  | { kind: 'drop'; reason: NotRelayedReason; after?: AfterStore<undefined> }

/** A step between "stored" and "queued": sees every message to relay, from every entry point, and edits. */
export interface RelayPolicy {
  /** Recorded with a hold (which policy held it). */
  name: string
  /** Runs inside the message's transaction (a client's row locked): keep it quick, and read nothing the draft carries. */
  check(draft: RelayDraft): PolicyVerdict | Promise<PolicyVerdict>
}

export const PASS: PolicyVerdict = { kind: 'pass' }
