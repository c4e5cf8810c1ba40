import { tellBannedOnce } from '../client-limits.js'
import { PASS, type PolicyVerdict, type RelayPolicy } from './policy.js'

/** A banned client's messages (`/ban`) are stored but not relayed; the client is told once. Their edits still sync. */
export const banPolicy: RelayPolicy = {
  name: 'ban',
  check(draft): PolicyVerdict {
    const { customer, project } = draft
    if (draft.origin !== 'client' || draft.change !== 'message' || !customer?.banned) return PASS
    return { kind: 'drop', reason: 'banned', after: (tx) => tellBannedOnce(tx, project, customer) }
  },
}
