import { openFloodWindow } from '../client-limits.js'
import { PASS, type PolicyVerdict, type RelayPolicy } from './policy.js'

/**
 * A client over the flood limit (`flood.maxMessages` per `flood.windowSeconds`, see
 * `floodingColumn` and `syncFlooding`): the message or edit is stored only; a message opens the
 * window (the client asked to slow down, the topics told at its end).
 */
export const floodPolicy: RelayPolicy = {
  name: 'flood',
  check(draft): PolicyVerdict {
    const { customer, project, now } = draft
    if (draft.origin !== 'client' || !draft.flooding) return PASS
    if (draft.change === 'edit' || !customer) return { kind: 'drop', reason: 'flood' }
    return { kind: 'drop', reason: 'flood', after: (tx, stored) => openFloodWindow(tx, project, customer, stored, now) }
  },
}
