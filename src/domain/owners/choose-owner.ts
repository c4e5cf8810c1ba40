import type { PresenceStatus } from '../presence.js'

/** A project's routing settings (`projects[].routing`). */
export interface RoutingRule {
  rule: 'round_robin' | 'online_first' | 'least_busy'
  whenNobodyOnline: 'round_robin' | 'queue'
  maxOpenPerAgent?: number | undefined
}

/** An agent of the customer's CR team, as routing sees them. */
export interface OwnerCandidate {
  userId: number
  presence: PresenceStatus
  /** Their customers with an open conversation now. */
  openCustomers: number
  languages: readonly string[]
}

export interface OwnerChoiceInput {
  /** The team's authorised agents, in roster order (the round-robin order). */
  candidates: readonly OwnerCandidate[]
  routing: RoutingRule
  /** The client's Telegram `language_code`, if known. */
  languageCode?: string | null
  /** The agent who got the team's previous customer: round robin continues after them. */
  lastOwner?: number | null
}

export type OwnerChoice = { kind: 'agent'; userId: number } | { kind: 'queue'; why: 'no_agents' | 'all_full' | 'nobody_online' }

/**
 * Picks a customer's CR owner, or says they wait in the queue. Agents at `maxOpenPerAgent` are
 * never chosen. `round_robin` takes turns among everyone; `online_first` takes turns among the
 * online agents; `least_busy` takes the online agent with the fewest open customers. With nobody
 * online (among those with room), `whenNobodyOnline` decides: take turns among everyone, or
 * queue. Among equals, agents speaking the client's language come first. Pure: the caller reads
 * the inputs inside its locked transaction (see `route-owner.ts`).
 */
/** Whether an agent with this many open customers may take one more (`routing.maxOpenPerAgent`). */
export function hasRoom(openCustomers: number, routing: Pick<RoutingRule, 'maxOpenPerAgent'>): boolean {
  return routing.maxOpenPerAgent === undefined || openCustomers < routing.maxOpenPerAgent
}

export function chooseOwner(input: OwnerChoiceInput): OwnerChoice {
  const { candidates, routing } = input
  if (candidates.length === 0) return { kind: 'queue', why: 'no_agents' }
  const withRoom = candidates.filter((c) => hasRoom(c.openCustomers, routing))
  if (withRoom.length === 0) return { kind: 'queue', why: 'all_full' }
  const online = withRoom.filter((c) => c.presence === 'online')
  let pool: readonly OwnerCandidate[]
  if (online.length > 0) pool = routing.rule === 'round_robin' ? withRoom : online
  else if (routing.whenNobodyOnline === 'queue') return { kind: 'queue', why: 'nobody_online' }
  else pool = withRoom
  if (routing.rule === 'least_busy') {
    const fewest = Math.min(...pool.map((c) => c.openCustomers))
    pool = pool.filter((c) => c.openCustomers === fewest)
  }
  const speakers = pool.filter((c) => speaks(c, input.languageCode))
  if (speakers.length > 0) pool = speakers
  return { kind: 'agent', userId: nextInTurn(candidates, pool, input.lastOwner) }
}

/** True when the agent lists the client's language ("pt" matches a client's "pt-br"). */
function speaks(candidate: OwnerCandidate, languageCode: string | null | undefined): boolean {
  if (!languageCode) return false
  const client = languageCode.toLowerCase()
  const base = client.split('-')[0]
  return candidate.languages.some((l) => {
    const lang = l.toLowerCase()
    return lang === client || lang === base
  })
}

/** The first of `pool` after `lastOwner` in the team's order, wrapping around. */
function nextInTurn(order: readonly OwnerCandidate[], pool: readonly OwnerCandidate[], lastOwner: number | null | undefined): number {
  const inPool = new Set(pool.map((c) => c.userId))
  const start = order.findIndex((c) => c.userId === lastOwner) + 1
  for (let i = 0; i < order.length; i++) {
    const candidate = order[(start + i) % order.length]!
    if (inPool.has(candidate.userId)) return candidate.userId
  }
  return pool[0]!.userId
}
