import { PASS, type PolicyVerdict, type RelayPolicy } from '../relay/policies/policy.js'
import { queueTranslation } from './jobs.js'
import { staffToClient } from './language.js'

/**
 * Translation of staff replies (`projects[].translation`): a staff message or edit to a client
 * whose language differs from the staff's is held, with a translation job queued; the job
 * releases it with the client's copy in the client's language (`releaseTranslated`), or as
 * written when the translation fails or takes longer than `translation.waitSeconds`. Holding
 * the one message keeps every other message moving; the staff member's own topic is answered
 * with what the client received.
 */
export const translationPolicy: RelayPolicy = {
  name: 'translation',
  check(draft): PolicyVerdict {
    if (draft.origin !== 'staff' || !draft.customer || draft.text.trim() === '') return PASS
    const pair = staffToClient(draft.project, draft.customer)
    if (!pair || !draft.copies.some((copy) => copy.to === 'client')) return PASS
    return {
      kind: 'hold',
      reason: 'translation',
      after: (tx, stored, { token }) => queueTranslation(tx, draft.project, { direction: 'to_client', messageId: stored.id, token, ...pair }),
    }
  },
}
