import { describe, expect, it } from 'vitest'
import { chooseOwner, type OwnerCandidate, type RoutingRule } from '../../src/domain/owners/choose-owner.js'

const agent = (userId: number, presence: OwnerCandidate['presence'], openCustomers = 0, languages: string[] = []): OwnerCandidate => ({
  userId,
  presence,
  openCustomers,
  languages,
})
const rule = (r: Partial<RoutingRule> = {}): RoutingRule => ({ rule: 'round_robin', whenNobodyOnline: 'round_robin', ...r })

describe('choosing a CR owner', () => {
  it('round robin takes turns in roster order after the previous owner, online or not, and wraps around', () => {
    const candidates = [agent(1, 'offline'), agent(2, 'online'), agent(3, 'away')]
    expect(chooseOwner({ candidates, routing: rule() })).toEqual({ kind: 'agent', userId: 1 })
    expect(chooseOwner({ candidates, routing: rule(), lastOwner: 1 })).toEqual({ kind: 'agent', userId: 2 })
    expect(chooseOwner({ candidates, routing: rule(), lastOwner: 2 })).toEqual({ kind: 'agent', userId: 3 })
    expect(chooseOwner({ candidates, routing: rule(), lastOwner: 3 })).toEqual({ kind: 'agent', userId: 1 })
    // A previous owner who left the team: start from the top.
    expect(chooseOwner({ candidates, routing: rule(), lastOwner: 99 })).toEqual({ kind: 'agent', userId: 1 })
  })

  it('online first takes turns among online agents only, and falls back to everyone when nobody is online', () => {
    const routing = rule({ rule: 'online_first' })
    const candidates = [agent(1, 'offline'), agent(2, 'online'), agent(3, 'away'), agent(4, 'online')]
    expect(chooseOwner({ candidates, routing, lastOwner: 2 })).toEqual({ kind: 'agent', userId: 4 })
    expect(chooseOwner({ candidates, routing, lastOwner: 4 })).toEqual({ kind: 'agent', userId: 2 })
    const nobody = [agent(1, 'offline'), agent(3, 'away')]
    expect(chooseOwner({ candidates: nobody, routing, lastOwner: 1 })).toEqual({ kind: 'agent', userId: 3 })
  })

  it('queues when nobody is online and the project says so, whatever the rule', () => {
    const nobody = [agent(1, 'offline'), agent(2, 'away')]
    for (const r of ['round_robin', 'online_first', 'least_busy'] as const) {
      expect(chooseOwner({ candidates: nobody, routing: rule({ rule: r, whenNobodyOnline: 'queue' }) })).toEqual({ kind: 'queue', why: 'nobody_online' })
    }
  })

  it('least busy takes the online agent with the fewest open customers, in turn among ties', () => {
    const routing = rule({ rule: 'least_busy' })
    const candidates = [agent(1, 'online', 3), agent(2, 'online', 1), agent(3, 'offline', 0), agent(4, 'online', 1)]
    expect(chooseOwner({ candidates, routing })).toEqual({ kind: 'agent', userId: 2 })
    expect(chooseOwner({ candidates, routing, lastOwner: 2 })).toEqual({ kind: 'agent', userId: 4 })
    // Nobody online: the least busy of everyone.
    expect(chooseOwner({ candidates: [agent(1, 'offline', 2), agent(3, 'offline', 0)], routing })).toEqual({ kind: 'agent', userId: 3 })
  })

  it('never picks an agent at maxOpenPerAgent, and queues when everyone is', () => {
    const routing = rule({ rule: 'online_first', maxOpenPerAgent: 2 })
    expect(chooseOwner({ candidates: [agent(1, 'online', 2), agent(2, 'offline', 1)], routing })).toEqual({ kind: 'agent', userId: 2 })
    expect(chooseOwner({ candidates: [agent(1, 'online', 2), agent(2, 'offline', 5)], routing })).toEqual({ kind: 'queue', why: 'all_full' })
    expect(chooseOwner({ candidates: [agent(1, 'online', 2), agent(2, 'offline', 1)], routing: { ...routing, whenNobodyOnline: 'queue' } })).toEqual({
      kind: 'queue',
      why: 'nobody_online',
    })
  })

  it('prefers agents speaking the client’s language among equals only', () => {
    const candidates = [agent(1, 'online', 0, ['en']), agent(2, 'online', 0, ['de', 'pt']), agent(3, 'offline', 0, ['pt'])]
    expect(chooseOwner({ candidates, routing: rule({ rule: 'online_first' }), languageCode: 'pt-br' })).toEqual({ kind: 'agent', userId: 2 })
    expect(chooseOwner({ candidates, routing: rule({ rule: 'online_first' }), languageCode: 'fr' })).toEqual({ kind: 'agent', userId: 1 })
    // The offline Portuguese speaker is not an equal of the online agents.
    expect(chooseOwner({ candidates, routing: rule({ rule: 'online_first' }), languageCode: 'pt', lastOwner: 2 })).toEqual({ kind: 'agent', userId: 2 })
    // Least busy first, then language: the busier speaker loses.
    const busy = [agent(1, 'online', 0, ['en']), agent(2, 'online', 1, ['pt'])]
    expect(chooseOwner({ candidates: busy, routing: rule({ rule: 'least_busy' }), languageCode: 'pt' })).toEqual({ kind: 'agent', userId: 1 })
  })

  it('queues a customer of a team without agents', () => {
    expect(chooseOwner({ candidates: [], routing: rule() })).toEqual({ kind: 'queue', why: 'no_agents' })
  })
})
