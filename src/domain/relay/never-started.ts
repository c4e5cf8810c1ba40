import type { OutboxJob } from '../../delivery/jobs.js'
import { findLink } from '../../db/repositories/relay.js'
import { findCustomerByUser } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { noticeToTopics } from '../topic-notices.js'

/**
 * A private message failed with 403 "bot can't initiate conversation with a user": the person
 * never opened a chat with the bot. Nothing retries that, so staff are told plainly in each of
 * the customer's topics, as a reply to the message that was not delivered when there is one.
 */
export async function noteNeverStarted(deps: DomainDeps, project: ProjectRuntime, telegramUserId: number, job: OutboxJob): Promise<void> {
  const customer = await findCustomerByUser(deps.db, project.id, telegramUserId)
  if (!customer) return
  const link = job.type === 'relay' ? await findLink(deps.db, job.linkId) : undefined
  const bot = project.bots.client[0]
  const text = textsOf(project).staff('notDeliveredNeverStarted', { hasBot: bot ? 'yes' : 'no', bot: bot?.username ?? '' })
  await deps.db.transaction((tx) => noticeToTopics(tx, project, customer.id, { text, ...(link ? { replyTo: { originalMessageRowId: link.messageId } } : {}) }))
  deps.notify()
}
