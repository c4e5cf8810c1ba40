/** A stored message or resolution of one customer, as the reports read them. */
export type TimelineEntry =
  { at: Date; customerId: number; type: 'client' } | { at: Date; customerId: number; type: 'staff'; agentId: number } | { at: Date; customerId: number; type: 'resolved' }

/** A duration the reports measure, ending at `at`, with the agent who answered (responses). */
export interface Measured {
  at: Date
  ms: number
  agentId?: number
}

export interface ConversationFigures {
  /** Every staff answer to a waiting client: from the oldest unanswered client message to the answer. */
  responses: Measured[]
  /** The first answer of each conversation (which starts with its first client message). */
  firstResponses: Measured[]
  /** Each resolution: from its conversation's first client message to the resolution. */
  resolutions: Measured[]
  /** Customers still waiting for an answer at the period's end, whose wait started in the period. */
  unanswered: number
}

/**
 * Walks each customer's messages and resolutions (oldest first; their whole history before the
 * period's end, so a wait or a conversation begun earlier is measured right) and keeps the
 * durations that end in [from, to). A conversation starts with a client message after the last
 * resolution; a wait with a client message when none waits; a staff message (not an internal
 * note) answers the wait; a resolution ends both.
 */
export function conversationFigures(entries: readonly TimelineEntry[], from: Date, to: Date): ConversationFigures {
  const inPeriod = (at: Date) => at >= from && at < to
  const figures: ConversationFigures = { responses: [], firstResponses: [], resolutions: [], unanswered: 0 }
  const state = new Map<number, { started: Date | null; waiting: Date | null; answered: boolean }>()
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime())
  for (const entry of sorted) {
    if (entry.at >= to) continue
    const customer = state.get(entry.customerId) ?? { started: null, waiting: null, answered: false }
    state.set(entry.customerId, customer)
    if (entry.type === 'client') {
      if (customer.started === null) Object.assign(customer, { started: entry.at, answered: false })
      customer.waiting ??= entry.at
    } else if (entry.type === 'staff') {
      if (customer.waiting === null) continue
      const measured = { at: entry.at, ms: entry.at.getTime() - customer.waiting.getTime(), agentId: entry.agentId }
      if (inPeriod(entry.at)) {
        figures.responses.push(measured)
        if (!customer.answered) figures.firstResponses.push(measured)
      }
      customer.answered = true
      customer.waiting = null
    } else {
      if (customer.started !== null && inPeriod(entry.at)) figures.resolutions.push({ at: entry.at, ms: entry.at.getTime() - customer.started.getTime() })
      Object.assign(customer, { started: null, waiting: null, answered: false })
    }
  }
  figures.unanswered = [...state.values()].filter((c) => c.waiting !== null && inPeriod(c.waiting)).length
  return figures
}
