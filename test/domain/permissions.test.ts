import { describe, expect, it } from 'vitest'
import { refusalFor } from '../../src/domain/permissions.js'
import type { ProjectRuntime } from '../../src/domain/project-runtime.js'
import { Roster } from '../../src/domain/roster.js'

const [lead, owner, colleague, stranger] = [1, 2, 3, 4]
const project = {
  roster: new Roster([
    { id: lead, name: 'Alice', roles: ['cs', 'cs_lead'], teams: [] },
    { id: owner, name: 'Carol', roles: ['cr'], teams: ['north'] },
    { id: colleague, name: 'Dave', roles: ['cr'], teams: ['north'] },
  ]),
} as unknown as ProjectRuntime
const refused = "Only the customer's owner or a CS lead can resolve the conversation."

describe('who may resolve a conversation', () => {
  it("is the customer's owner or a CS lead", () => {
    const customer = { ownerUserId: owner }
    expect(refusalFor(project, owner, 'resolve_conversation', customer)).toBeUndefined()
    expect(refusalFor(project, lead, 'resolve_conversation', customer)).toBeUndefined()
    expect(refusalFor(project, colleague, 'resolve_conversation', customer)).toBe(refused)
    // Without the customer, nobody is their owner.
    expect(refusalFor(project, owner, 'resolve_conversation')).toBe(refused)
    expect(refusalFor(project, lead, 'resolve_conversation', { ownerUserId: null })).toBeUndefined()
  })

  it('is never an owner no longer on the roster, and ownership grants nothing else', () => {
    expect(refusalFor(project, stranger, 'resolve_conversation', { ownerUserId: stranger })).toBe(refused)
    expect(refusalFor(project, owner, 'ban_client', { ownerUserId: owner })).toBe('Only CS leads can ban a client.')
  })
})
