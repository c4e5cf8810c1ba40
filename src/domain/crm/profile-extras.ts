import { desc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { customerNotes, customerTags } from '../../db/schema/index.js'
import { inProject, type ProjectScope } from '../../db/project-scope.js'
import type { Texts } from '../../texts/index.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { customerSource } from '../links/attribution.js'
import { customerAnswerList } from '../autoreply/answers.js'

/** How many of the latest notes the profile card shows (`/notes` lists them all). */
export const CARD_NOTES = 3
/** How much of each note the card shows. */
const CARD_NOTE_CHARS = 200

export type CustomerNote = typeof customerNotes.$inferSelect

/** What staff added to a customer's profile (tags, notes) that the pinned card shows. */
export interface ProfileExtras {
  tags: string[]
  /** Newest first. */
  latestNotes: CustomerNote[]
  /** The diversion link that brought the customer (see `customerSource`). */
  source?: string
  /** What the customer answered in flows (issue 18), by key. */
  answers?: Array<{ key: string; value: string }>
}

export const NO_EXTRAS: ProfileExtras = { tags: [], latestNotes: [] }

/** A customer's tags, alphabetical. */
export async function customerTagList(db: DbOrTx, scope: ProjectScope, customerId: number): Promise<string[]> {
  const rows = await db
    .select({ tag: customerTags.tag })
    .from(customerTags)
    .where(inProject(customerTags, scope.projectId, eq(customerTags.customerId, customerId)))
    .orderBy(customerTags.tag)
  return rows.map((row) => row.tag)
}

/** A customer's notes, newest first (all of them, or the latest `limit`). */
export async function customerNoteList(db: DbOrTx, scope: ProjectScope, customerId: number, limit?: number): Promise<CustomerNote[]> {
  const query = db
    .select()
    .from(customerNotes)
    .where(inProject(customerNotes, scope.projectId, eq(customerNotes.customerId, customerId)))
    .orderBy(desc(customerNotes.id))
  return limit === undefined ? query : query.limit(limit)
}

/** The tags, latest notes and source of a customer, as the card shows them. */
export async function loadProfileExtras(db: DbOrTx, scope: ProjectScope, t: Texts, customerId: number): Promise<ProfileExtras> {
  // One after the other: inside a transaction both share one connection.
  return {
    tags: await customerTagList(db, scope, customerId),
    latestNotes: await customerNoteList(db, scope, customerId, CARD_NOTES),
    source: await customerSource(db, scope, t, customerId),
    answers: await customerAnswerList(db, scope, customerId),
  }
}

/** One note as a line: "2026-11-26 Alice: text". */
export function noteLine(note: CustomerNote, maxChars = Infinity): string {
  const text = note.text.length > maxChars ? `${note.text.slice(0, maxChars - 1)}…` : note.text
  return `${note.createdAt.toISOString().slice(0, 10)} ${note.authorName}: ${text}`
}

/** The card's lines for tags and notes; none when there are neither. */
export function profileExtrasLines(project: ProjectRuntime, extras: ProfileExtras): string[] {
  const t = textsOf(project)
  const lines: string[] = []
  if (extras.tags.length > 0) lines.push(t.staff('profileTags', { tags: extras.tags.map((tag) => `#${tag}`).join(' ') }))
  if (extras.answers?.length) lines.push(t.staff('profileAnswers', { answers: extras.answers.map((a) => `${a.key}: ${a.value}`).join(' · ') }))
  if (extras.latestNotes.length > 0) lines.push(t.staff('profileNotes'), ...extras.latestNotes.map((note) => `• ${noteLine(note, CARD_NOTE_CHARS)}`))
  return lines
}
