import { PASS, type PolicyVerdict, type RelayPolicy } from '../relay/policies/policy.js'
import { queueTranslation } from './jobs.js'
import { hasWords, staffToClient } from './language.js'

/** Beyond twice the wait: the first job's provider deadline and a retry or two. */
const FALLBACK_GRACE_MS = 60_000

/**
 * Translation of staff replies (`projects[].translation`): a staff message or edit to a client
 * whose language differs from the staff's is held, with a translation job queued; the job
 * releases it with the client's copy in the client's language (`releaseTranslated`), or as
 * written when the translation fails or takes longer than `translation.waitSeconds`. Holding
 * the one message keeps every other message moving; the staff member's own topic is answered
 * with what the client received. A second, later job sends it as written if the first was given up.
 */
export const translationPolicy: RelayPolicy = {
  name: 'translation',
  check(draft): PolicyVerdict {
    // A text with no words ("👍", "#12345") goes as written, at once.
    if (draft.origin !== 'staff' || !draft.customer || !hasWords(draft.text)) return PASS
    const pair = staffToClient(draft.project, draft.customer)
    if (!pair || !draft.copies.some((copy) => copy.to === 'client')) return PASS
    return {
      kind: 'hold',
      reason: 'translation',
      after: async (tx, stored, { token }) => {
        const job = { direction: 'to_client', messageId: stored.id, token, editCount: stored.editCount, ...pair } as const
        await queueTranslation(tx, draft.project, draft.customerId, job)
        // Should the first job be given up (its worker's retries spent), this one sends the reply as written.
        const waitMs = (draft.project.config.translation?.waitSeconds ?? 30) * 1000
        await queueTranslation(tx, draft.project, draft.customerId, { ...job, fallback: true }, new Date(draft.now.getTime() + 2 * waitMs + FALLBACK_GRACE_MS))
      },
    }
  },
}
