import { findRiskPhrase } from '../../risk/matcher.js'
import { riskBookOf } from '../../risk/phrases.js'
import { openRiskPrompt, tellRiskBlocked } from '../../risk/prompts.js'
import { PASS, type PolicyVerdict, type RelayPolicy } from './policy.js'

/**
 * Risk phrases (`projects[].riskPhrases`, `/risk`): a staff message (typed, `/c`, API) or edit
 * that contains a `block` phrase is stored only and its author told; one with a `confirm` phrase
 * is held until its author presses "Send anyway" (`releaseHold`) or Cancel (`discardHold`).
 */
export const riskPolicy: RelayPolicy = {
  name: 'risk',
  check(draft): PolicyVerdict {
    if (draft.origin !== 'staff') return PASS
    const phrase = findRiskPhrase(riskBookOf(draft.project), draft.text)
    if (!phrase) return PASS
    const hit = { phrase: phrase.name, text: draft.text, customerId: draft.customerId, copies: draft.copies, now: draft.now }
    if (phrase.mode === 'block') return { kind: 'drop', reason: 'dropped', after: (tx, stored) => tellRiskBlocked(tx, draft.project, stored, hit) }
    return { kind: 'hold', reason: `risk phrase "${phrase.name}"`, after: (tx, stored, { token }) => openRiskPrompt(tx, draft.project, stored, hit, token) }
  },
}
