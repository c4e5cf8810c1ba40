import { eq, isNotNull } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import { messages, relayHolds, relayLinks } from '../../db/schema/index.js'
import { topicByThread } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import type { HoldResume } from '../relay/holds.js'
import type { CopyTarget, CopyVariant, VariantEntity } from '../relay/policies/policy.js'
import { releaseHold, type ReleaseOutcome } from '../relay/release.js'
import { setCopyVariant } from '../relay/variants.js'
import { queueTopicText } from '../topic-notices.js'
import { queueTranslation, type TranslateJob } from './jobs.js'

/** The text a translation job translates, and whose words they are (the cache is per customer). */
export interface TextToTranslate {
  customerId: number
  text: string
}

/** A text message's limit, and a caption's (UTF-16 code units), less room for a copy's header. */
const TEXT_ROOM = 3900
const CAPTION_ROOM = 900

/**
 * What a translation job translates now: the client message's version it was queued for, or the
 * held staff message (or edit); undefined when that moved on (edited again, deleted, released).
 */
export async function textToTranslate(db: DbOrTx, project: ProjectRuntime, job: TranslateJob): Promise<TextToTranslate | undefined> {
  const [message] = await db
    .select()
    .from(messages)
    .where(inProject(messages, project.id, eq(messages.id, job.messageId)))
  if (!message || message.deleted) return undefined
  if (job.direction === 'to_staff') return message.editCount === job.editCount && message.text ? { customerId: message.customerId, text: message.text } : undefined
  const [hold] = await db
    .select()
    .from(relayHolds)
    .where(inProject(relayHolds, project.id, eq(relayHolds.token, job.token)))
  if (!hold || hold.state !== 'held') return undefined
  const resume = JSON.parse(hold.resume) as HoldResume
  const text = hold.change === 'edit' ? resume.version?.text : message.text
  return text ? { customerId: message.customerId, text } : undefined
}

/**
 * Client → staff: each topic copy of the message shows the translation under the original
 * ("🌐 …"; a copy already sent is edited), or the original marked untranslated when it failed.
 * Skipped when the message was edited since (the newer version's job shows its own).
 */
export async function showTranslation(
  deps: DomainDeps,
  project: ProjectRuntime,
  job: Extract<TranslateJob, { direction: 'to_staff' }>,
  translation: string | undefined,
): Promise<void> {
  const [message] = await deps.db
    .select()
    .from(messages)
    .where(inProject(messages, project.id, eq(messages.id, job.messageId)))
  if (!message || message.deleted || message.editCount !== job.editCount) return
  const t = textsOf(project)
  const line = translation === undefined ? t.staff('translationUntranslated') : t.staff('translationLine', { text: translation })
  const variant = withLine(message, line)
  const links = await deps.db
    .select({ id: relayLinks.id })
    .from(relayLinks)
    .where(inProject(relayLinks, project.id, eq(relayLinks.messageId, message.id), isNotNull(relayLinks.topicId)))
  for (const link of links) await setCopyVariant(deps, project, link.id, variant)
}

/**
 * Staff → client: releases the held message (or edit). The client's copy says the translation
 * (undefined: the original, as written), the mirrors in other topics show the original with
 * "🌐 sent: …", and the topic it was written in is answered with what the client received.
 * `unchanged`: the translation only repeats the original; it goes as written, with no 🌐 line.
 * `source`: the text translated; a held message edited since (another text or edit count) stays
 * held and is translated again.
 */
export async function releaseTranslated(
  deps: DomainDeps,
  project: ProjectRuntime,
  job: Extract<TranslateJob, { direction: 'to_client' }>,
  translation: string | undefined,
  options: { unchanged?: boolean; source?: string } = {},
): Promise<ReleaseOutcome> {
  const stillCurrent = async (tx: DbOrTx, message: MessageRow, hold: { change: 'message' | 'edit' }): Promise<boolean> => {
    // A held edit's text never changes (a newer edit replaces its hold); a held message's may.
    if (options.source === undefined || hold.change !== 'message') return true
    if (message.text === options.source && (job.editCount === undefined || message.editCount === job.editCount)) return true
    await queueTranslation(tx, project, message.customerId, { ...job, editCount: message.editCount })
    return false
  }
  if (options.unchanged) return releaseHold(deps, project, job.token, { stillCurrent })
  const t = textsOf(project)
  const sentLine = translation === undefined ? t.staff('translationSentUntranslated') : t.staff('translationSentLine', { text: translation })
  return releaseHold(deps, project, job.token, {
    stillCurrent,
    variantOf: (copy: CopyTarget): CopyVariant | undefined => {
      if (copy.to === 'client') return translation === undefined ? undefined : { text: clip(translation, TEXT_ROOM) }
      return undefined
    },
    after: (tx, message, resume) => tellWhatWasSent(tx, project, message, resume, sentLine),
  })
}

/** The mirrors gain "🌐 sent: …" under the original, and the topic it was typed in a reply saying the same. */
async function tellWhatWasSent(tx: DbOrTx, project: ProjectRuntime, message: MessageRow, resume: HoldResume, sentLine: string): Promise<void> {
  const current = resume.version ? { ...message, raw: JSON.stringify(resume.version.raw), text: resume.version.text } : message
  const mirrors = await tx
    .select()
    .from(relayLinks)
    .where(inProject(relayLinks, project.id, eq(relayLinks.messageId, message.id), isNotNull(relayLinks.topicId)))
  const variant = JSON.stringify(withLine(current, sentLine))
  // Their edit or relay jobs were queued in this transaction and render the variant when they run.
  for (const mirror of mirrors) await tx.update(relayLinks).set({ variant }).where(eq(relayLinks.id, mirror.id))
  const topic = resume.typedIn?.topic ?? (message.threadId ? await topicByThread(tx, { projectId: project.id }, message.chatId, message.threadId) : undefined)
  if (topic) await queueTopicText(tx, project, topic, sentLine, { replyTo: { messageId: resume.typedIn?.messageId ?? message.messageId } })
}

/** A copy's variant: the original's text (or caption) with its entities, then a line under it. */
function withLine(message: Pick<MessageRow, 'raw' | 'text'>, line: string): CopyVariant {
  const raw = JSON.parse(message.raw) as { text?: string; caption?: string; entities?: VariantEntity[]; caption_entities?: VariantEntity[] }
  const isCaption = raw.text === undefined && raw.caption !== undefined
  const original = message.text ?? ''
  const entities = (isCaption ? raw.caption_entities : raw.entities) ?? []
  const text = clip(`${original}\n\n${line}`, isCaption ? CAPTION_ROOM : TEXT_ROOM)
  return entities.length ? { text, entities } : { text }
}

function clip(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`
}
