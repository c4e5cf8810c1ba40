import { desc, eq } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import { assignmentLog, conversationRatings, customers } from '../../db/schema/index.js'
import type { RatingPress } from '../buttons/rating.js'
import { customerName, findCustomer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { enqueueTo } from '../enqueue-to.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { noticeToTopics } from '../topic-notices.js'
import { clientLanguageOf } from '../translation/language.js'

export interface RatingAnswer {
  text: string
  alert: boolean
}

/**
 * The client pressed 1–5 on a rating prompt (already bound to the prompt by the adapter). It
 * counts only when the presser is the customer the data names, in this project, in their own
 * chat, and the resolution is their latest one: an older prompt has expired. One rating per
 * resolution (a unique key), so a second press changes nothing. The prompt loses its buttons
 * and the customer's topics are told.
 */
export async function rateResolution(
  deps: DomainDeps,
  project: ProjectRuntime,
  press: { userId: number; data: RatingPress; prompt: { chatId: number; messageId: number; botId: number } },
): Promise<RatingAnswer> {
  const { data } = press
  const customer = await findCustomer(deps.db, data.customerId)
  // A press that names nothing of this client's in this project (forged, copied, another brand's).
  if (!customer || customer.projectId !== project.id || customer.telegramUserId !== press.userId || press.prompt.chatId !== press.userId)
    return { text: textsOf(project).client(customer?.telegramUserId === press.userId ? clientLanguageOf(customer) : null, 'buttonNoLongerValid'), alert: true }
  const t = textsOf(project)
  const say = (key: string, args?: Record<string, string | number>) => t.client(clientLanguageOf(customer), key, args)
  const answer = await deps.db.transaction(async (tx): Promise<RatingAnswer> => {
    await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customer.id)).for('update')
    const resolutions = await tx
      .select({ id: assignmentLog.id })
      .from(assignmentLog)
      .where(inProject(assignmentLog, project.id, eq(assignmentLog.customerId, customer.id), eq(assignmentLog.action, 'resolved')))
      .orderBy(desc(assignmentLog.id))
    if (!resolutions.some((row) => row.id === data.resolutionId)) return { text: say('buttonNoLongerValid'), alert: true }
    if (resolutions[0]!.id !== data.resolutionId) return { text: say('ratingExpired'), alert: true }
    const [inserted] = await tx
      .insert(conversationRatings)
      .ignore()
      .values(projectRow(conversationRatings, project.id, { customerId: customer.id, resolutionId: data.resolutionId, rating: data.rating }))
    if (inserted.affectedRows === 0) return { text: say('ratingAlreadyGiven'), alert: true }
    const text = `${say('ratingPrompt')}\n\n${say('ratingThanks', { rating: data.rating })}`
    // The prompt is edited by the bot that posted it (the client bot), without its buttons.
    await enqueueTo(
      tx,
      project,
      { kind: 'posted', chatId: press.prompt.chatId, botId: press.prompt.botId },
      { type: 'edit_text', chatId: press.prompt.chatId, messageId: press.prompt.messageId, text },
    )
    await noticeToTopics(tx, project, customer.id, { text: t.staff('ratedNotice', { name: customerName(customer), rating: data.rating }) })
    return { text: say('ratingThankYou'), alert: false }
  })
  if (!answer.alert) deps.notify()
  return answer
}
