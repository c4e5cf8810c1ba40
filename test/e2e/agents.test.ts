import { describe, expect, it } from 'vitest'
import type { SimUser } from '../../src/simulator/index.js'
import { waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

let nora: SimUser

/** Nora is an agent of the deployment, not on the project's staff list; the project's scope is `all`. */
const { h, zoe } = useOnboardedZoe({
  project: { scope: 'all' },
  prepare: (sim, world) => {
    nora = sim.createUser({ firstName: 'Nora', username: 'nora_agent' })
    sim.addMember(world.groups.cs.id, nora.id)
    sim.addMember(world.groups.north.id, nora.id)
    return { agents: [{ id: nora.id, name: 'Nora', languages: ['en'], roles: ['cs'], projects: {} }] }
  },
})

describe('agents', () => {
  it('an agent of a project of scope all answers a client, attributed, while a stranger in the group is still ignored', async () => {
    const { sim, world } = h
    const clientBot = world.bots.client.id
    sim.sendGroup(world.people.mallory.id, world.groups.cs.id, { text: 'Mallory was here' }, { threadId: zoe.cs })
    sim.sendGroup(nora.id, world.groups.cs.id, { text: 'Happy to help, Zoe' }, { threadId: zoe.cs })
    const atClient = await waitForPrivate(h, world.people.zoe.id, clientBot, 'Happy to help')
    expect(atClient.text).toBe('Nora · CS\nHappy to help, Zoe')
    const mirror = await waitForTopicMessage(h, world.groups.north.id, zoe.cr, 'Happy to help')
    expect(mirror.text).toBe('Nora · CS → client\nHappy to help, Zoe')
    // The topic's messages are handled in order: Mallory's came first and was not relayed.
    expect(sim.privateMessages(world.people.zoe.id, clientBot).some((m) => m.text?.includes('Mallory'))).toBe(false)
  })
})
