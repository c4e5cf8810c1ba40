import { contentSteps, loadLinkContent, relayCopy } from '../send-content.js'
import { messagesLeft } from '../send-steps.js'
import type { ClaimOf, ExecutorDeps, JobModule, JobOf } from './module.js'

/** A relay copy's messages still to post (0 once its copy is recorded): its weight for the planner. */
export async function relayMessages(deps: ExecutorDeps, linkId: number, claimed: ClaimOf<{ type: string }>): Promise<number> {
  const { link, message, content } = await loadLinkContent(deps, linkId)
  if (link.copyMessageId) return 0
  return messagesLeft(contentSteps(deps, claimed.botId, message.botId, { chatId: link.chatId }, content, { header: link.header ?? undefined }), claimed.progress)
}

/**
 * Post the copy behind a relay link (`relayCopy`, send-content.ts), or, when the group's backlog
 * is long, a combined copy of it and the text copies waiting behind it (`coalesce.ts`).
 */
export const relay: JobModule<JobOf<'relay'>> = {
  type: 'relay',
  poolable: true,
  conversation: true,
  prefetch: 'link',
  messages: (deps, claimed) => relayMessages(deps, claimed.job.linkId, claimed),
  send: (deps, claimed, progress) =>
    deps.coalescer ? deps.coalescer.relay(deps, claimed, claimed.job.linkId, progress) : relayCopy(deps, claimed.job.linkId, claimed.botId, progress, claimed),
}
