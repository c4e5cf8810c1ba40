import { customerNotes } from '../../db/schema/index.js'
import type { DomainDeps } from '../deps.js'
import { refusalFor } from '../permissions.js'
import { staffMember, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { lockProfile, queueProfileCardEdits } from './profile-card.js'
import { customerNoteList, noteLine } from './profile-extras.js'
import type { CrmOutcome } from './tags.js'
import { projectRow } from '../../db/project-scope.js'

/** Longest note kept. */
export const NOTE_MAX_CHARS = 2000

/** `/note <text>` in a customer's topic: a dated note by its author on the profile; the cards show the latest ones. */
export async function addNote(deps: DomainDeps, project: ProjectRuntime, customerId: number, actorUserId: number, text: string): Promise<CrmOutcome> {
  const refusal = refusalFor(project, actorUserId, 'note_customer')
  if (refusal) return { ok: false, reason: refusal }
  const t = textsOf(project)
  if (text === '') return { ok: false, reason: t.staff('noteEmpty') }
  if (text.length > NOTE_MAX_CHARS) return { ok: false, reason: t.staff('noteTooLong', { max: NOTE_MAX_CHARS }) }
  const author = staffMember(project, actorUserId)!
  await deps.db.transaction(async (tx) => {
    await lockProfile(tx, customerId)
    await tx.insert(customerNotes).values(projectRow(customerNotes, project.id, { customerId, authorUserId: actorUserId, authorName: author.name, text }))
    await queueProfileCardEdits(tx, project, customerId)
  })
  deps.notify()
  return { ok: true, text: t.staff('noteAdded') }
}

/** `/notes`: every note of the customer, newest first (cut to one message). */
export async function listNotes(deps: DomainDeps, project: ProjectRuntime, customerId: number): Promise<string> {
  const notes = await customerNoteList(deps.db, { projectId: project.id }, customerId)
  const t = textsOf(project)
  if (notes.length === 0) return t.staff('notesNone')
  return [t.staff('notesTitle'), ...notes.map((note) => `• ${noteLine(note)}`)].join('\n').slice(0, 4000)
}
