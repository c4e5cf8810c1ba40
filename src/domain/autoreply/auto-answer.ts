import type { DbOrTx } from '../../db/client.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import type { Keyboard } from '../buttons/keyboard.js'
import { flowButtons } from '../buttons/flow.js'
import type { Customer, Topic } from '../customers.js'
import { enqueueTo } from '../enqueue-to.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { queueCopy, topicRoute } from '../routing.js'
import { noticeToTopics } from '../topic-notices.js'
import { clientLanguageOf } from '../translation/language.js'

/** One automatic answer: its text, the buttons under it (label and callback data), what it answers. */
export interface AutoAnswer {
  text: string
  buttons?: Array<{ text: string; data: string }>
  /** No "Talk to a person" button (the out-of-hours reply: the message reaches staff anyway). */
  noPersonButton?: boolean
  /** The stored client message it answers: the topics show the answer as a reply to its copy. */
  replyToRowId?: number
  /** A line the topics show before the answer (the button the client pressed). */
  lead?: string
  /** A line only the topics show after the answer (an assistant answer's sources). */
  staffNote?: string
}

/**
 * The one way the bot answers automatically (auto-replies, flow steps, the out-of-hours reply):
 * the text (with its buttons, and "Talk to a person") to the client's chat, and the same text
 * into each of the customer's topics ("🤖 …"), so staff see the whole conversation. Queued in
 * the caller's transaction; starts no wait and reopens nothing.
 */
export async function sendAutoAnswer(tx: DbOrTx, project: ProjectRuntime, customer: Customer, answer: AutoAnswer): Promise<void> {
  const t = textsOf(project)
  const buttons = [...(answer.buttons ?? [])]
  if (!answer.noPersonButton)
    buttons.push({ text: t.client(clientLanguageOf(customer), 'autoTalkToPerson'), data: flowButtons.encode({ kind: 'person', customerId: customer.id }) })
  const replyMarkup: Keyboard | undefined = buttons.length ? { inline_keyboard: buttons.map((b) => [{ text: b.text, callback_data: b.data }]) } : undefined
  const chatId = customer.telegramUserId
  if (!customer.blocked)
    await enqueueTo(tx, project, { kind: 'client', chatId }, { type: 'text', target: { kind: 'chat', chatId }, text: answer.text, ...(replyMarkup ? { replyMarkup } : {}) })
  // Staff see the answer and the buttons as the client saw them ("🤖 …", then "[label] [label]").
  const labels = buttons.map((b) => t.staff('autoBotButton', { label: b.text })).join(' ')
  const shown = [t.staff('autoBotAnswer', { text: answer.text }), ...(labels ? [labels] : []), ...(answer.staffNote ? [answer.staffNote] : [])].join('\n')
  await noticeToTopics(tx, project, customer.id, {
    text: answer.lead ? `${answer.lead}\n${shown}` : shown,
    ...(answer.replyToRowId !== undefined ? { replyTo: { originalMessageRowId: answer.replyToRowId } } : {}),
  })
}

/**
 * A client message the bot answers: copied into each active topic marked "🤖 auto-answered",
 * silently — no wait starts, a resolved conversation stays resolved, a closed topic is not reopened.
 */
export async function relayAutoAnswered(tx: DbOrTx, project: ProjectRuntime, stored: MessageRow, topics: Topic[], now: Date): Promise<void> {
  const header = textsOf(project).staff('autoAnsweredHeader')
  for (const topic of topics) await queueCopy(tx, project, stored, topicRoute(topic, 'relay', header), now)
}
