import { retryTransient } from '../../db/errors.js'
import { splitText } from '../render.js'
import { sendContent } from '../send-content.js'
import type { ProgressStore } from '../send-steps.js'
import type { ExecutorDeps, JobModule, JobOf } from './module.js'
import { replyId, resolveTarget } from './targets.js'

/** A plain notice or card; once sent, what its `purpose` says is reported (a card's message, a pin). */
export const text: JobModule<JobOf<'text'>> = {
  type: 'text',
  poolable: true,
  messages: (_deps, claimed) => Math.max(1, splitText(claimed.job.text, claimed.job.entities ?? []).length - (claimed.progress?.sent ?? 0)),
  send: (deps, claimed, progress) => sendNotice(deps, claimed.botId, claimed.job, progress),
}

/** Posts a notice (split when long, resuming after the parts already sent) and reports its purpose. */
export async function sendNotice(deps: ExecutorDeps, botId: number, job: JobOf<'text'>, progress: ProgressStore): Promise<unknown> {
  const to = await resolveTarget(deps, job.target)
  const replyTo = await replyId(deps, job.replyTo, to.chatId)
  const sent = await sendContent(
    deps,
    botId,
    botId,
    to,
    { kind: 'text', text: job.text, entities: job.entities },
    { replyToMessageId: replyTo, replyMarkup: job.replyMarkup, progress },
  )
  const purpose = job.purpose
  if (purpose?.kind === 'assignment_card') {
    await retryTransient(async () => deps.hooks?.onAssignmentCardSent?.(purpose.assignmentId, to.chatId, sent.message_id))
  }
  if (purpose?.kind === 'profile_card') {
    await retryTransient(async () => deps.hooks?.onProfileCardSent?.(purpose.topicId, to.chatId, sent.message_id, botId))
  }
  if (purpose?.kind === 'profile_card' && purpose.pin) {
    await deps.gateway
      .api(botId)
      .pinChatMessage(to.chatId, sent.message_id, { disable_notification: true })
      .catch(() => undefined)
  }
  return { messageId: sent.message_id, chatId: to.chatId }
}
