import { eq } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import { assistantSuggestions, topics } from '../../db/schema/index.js'
import type { SuggestionPress } from '../buttons/suggestion.js'
import { findCustomer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { memberName, staffMember, textsOf, type ProjectRuntime, type StaffGroup } from '../project-runtime.js'
import { relaySyntheticStaffMessage } from '../relay/synthetic-message.js'
import { queueTopicText } from '../topic-notices.js'
import { closeSuggestionMessages, setSuggestionState, WAITING } from './suggestions.js'

/** What a press on a suggestion did; the bot answers the press with `text`. */
export type SuggestionPressOutcome = { kind: 'sent' | 'editing' | 'dismissed' | 'done' | 'refused'; text: string }

/**
 * Send, Edit or Dismiss pressed on a suggestion (the binding checked the press is in the
 * customer's topic, by someone working in that group). Send relays the suggested text to the
 * client as the presser's own answer through the relay pipeline (risk phrases hold or block it as
 * if typed); Edit asks the presser for their version with a ForceReply prompt (their next message
 * in the topic is relayed as typed and marks the suggestion `edited`); Dismiss only records it.
 * Each suggestion is decided once.
 */
export async function answerSuggestionPress(
  deps: DomainDeps,
  project: ProjectRuntime,
  group: StaffGroup,
  press: SuggestionPress & { userId: number; ephemeralMessageId?: number },
): Promise<SuggestionPressOutcome> {
  const t = textsOf(project)
  const now = deps.clock.now()
  const member = staffMember(project, press.userId)
  if (!member) return { kind: 'refused', text: t.staff('suggestionGone') }
  const outcome = await deps.db.transaction(async (tx): Promise<SuggestionPressOutcome> => {
    const [row] = await tx
      .select()
      .from(assistantSuggestions)
      .where(inProject(assistantSuggestions, project.id, eq(assistantSuggestions.id, press.suggestionId), eq(assistantSuggestions.customerId, press.customerId)))
      .for('update')
    if (!row || !WAITING.includes(row.state)) return { kind: 'done', text: t.staff('suggestionGone') }
    const name = memberName(project, press.userId)
    if (press.choice === 'dismiss') {
      await setSuggestionState(tx, project, row, 'dismissed', press.userId, now)
      await closeSuggestionMessages(tx, project, row, t.staff('suggestionDismissedBy', { name }), press.ephemeralMessageId)
      return { kind: 'dismissed', text: t.staff('suggestionDismissedPress') }
    }
    const [topic] = await tx.select().from(topics).where(eq(topics.id, row.topicId))
    if (press.choice === 'edit') {
      if (!topic) return { kind: 'done', text: t.staff('suggestionGone') }
      await setSuggestionState(tx, project, row, 'editing', press.userId, now)
      await closeSuggestionMessages(tx, project, row, t.staff('suggestionEditingBy', { name }), press.ephemeralMessageId)
      const prompt = t.staff('suggestionEditPrompt', { name, text: row.text })
      await queueTopicText(tx, project, topic, prompt, { replyMarkup: { force_reply: true, selective: true, input_field_placeholder: t.staff('suggestionEditPlaceholder') } })
      return { kind: 'editing', text: t.staff('suggestionEditPress') }
    }
    const customer = await findCustomer(tx, row.customerId)
    if (!customer || customer.state !== 'active' || topic?.state === 'retired') return { kind: 'refused', text: t.staff('cannotWriteToCustomer') }
    await setSuggestionState(tx, project, row, 'sent', press.userId, now)
    await closeSuggestionMessages(tx, project, row, t.staff('suggestionSentBy', { name }), press.ephemeralMessageId)
    const source = { via: 'suggestion' as const, key: `suggestion:${row.id}`, replyToRowId: row.messageId }
    const relayed = await relaySyntheticStaffMessage(tx, deps.clock, project, customer, group, member, row.text, source)
    // A policy that holds (a confirm phrase) or drops (a block phrase) tells the presser itself, like for a typed message.
    if (relayed?.kind === 'responded') return { kind: 'sent', text: relayed.text }
    return { kind: 'sent', text: t.staff('suggestionSentPress') }
  })
  deps.notify()
  return outcome
}
