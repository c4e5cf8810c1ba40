import { describe, expect, it } from 'vitest'
import { groupRefusal, refusalFor, topicCommandRefusal } from '../../src/domain/permissions.js'
import type { ProjectRuntime, StaffGroup } from '../../src/domain/project-runtime.js'
import { STAFF_ROLES } from '../../src/domain/roles.js'
import { Roster } from '../../src/domain/roster.js'

const [lead, owner, colleague, stranger] = [1, 2, 3, 4]
const project = {
  roster: new Roster([
    { id: lead, name: 'Alice', roles: ['cs', 'cs_lead'], teams: [] },
    { id: owner, name: 'Carol', roles: ['cr'], teams: ['north'] },
    { id: colleague, name: 'Dave', roles: ['cr'], teams: ['north'] },
    { id: 5, name: 'Fay', roles: ['cr'], teams: [] },
    { id: 6, name: 'Tess', roles: ['treatment'], teams: [] },
  ]),
  roles: STAFF_ROLES,
  // The project's texts: none of its own, so the built-in English ones.
  config: { locale: 'en', templates: {}, texts: {}, resolve: {}, reassignment: {}, relay: {}, flood: {} },
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

describe('who may work in a staff group', () => {
  const group = (role: string, teamKey: string, title: string): StaffGroup => ({ role, teamKey, title, chatId: 1, anonymous: false, label: role })
  const [cs, north, south] = [group('cs', 'cs', 'Acme CS'), group('cr', 'north', 'CR North'), group('cr', 'south', 'CR South')]

  it("needs the group's role and, in a team's group, the team (an agent listing no team works for all)", () => {
    expect(groupRefusal(project, lead, cs)).toBeUndefined()
    expect(groupRefusal(project, 6, cs)).toBe('Only Acme CS staff can work in this group.')
    expect(groupRefusal(project, lead, north)).toBe('Only CR North staff can work in this group.')
    expect(groupRefusal(project, owner, north)).toBeUndefined()
    expect(groupRefusal(project, owner, south)).toBe('Only CR South staff can work in this group.')
    expect(groupRefusal(project, 5, south)).toBeUndefined()
    expect(groupRefusal(project, stranger, cs)).toBe('Only Acme CS staff can work in this group.')
  })

  it('refuses commands in a retired topic, and actions asked in a group the user may not work in', () => {
    expect(topicCommandRefusal(project, owner, north, { state: 'open' })).toBeUndefined()
    expect(topicCommandRefusal(project, owner, north, { state: 'retired' })).toMatch(/^This topic is closed/)
    expect(refusalFor(project, owner, 'note_customer', undefined, south)).toBe('Only CR South staff can work in this group.')
    expect(refusalFor(project, owner, 'note_customer', undefined, north)).toBeUndefined()
  })
})
