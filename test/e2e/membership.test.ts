import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Api } from 'grammy'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/index.js'
import { runDoctor } from '../../src/doctor/run-doctor.js'
import type { SimUser } from '../../src/simulator/index.js'
import { pollUntil } from '../support/poll.js'
import { useHarness } from '../support/suite.js'

const people: Record<'nora' | 'eve' | 'olga' | 'rex' | 'adam', SimUser> = {} as never
let helperBot: { id: number }
const file = join(mkdtempSync(join(tmpdir(), 'topicdesk-membership-')), 'config.json')

/**
 * The project enforces membership: Nora is an agent, Olga an allowed observer, Eve a stranger;
 * Rex a CR North agent (the CR bot cannot remove people), Adam an administrator of the CS group
 * who is not on the roster.
 */
const h = useHarness({
  project: { enforceMembership: true },
  start: { configSource: () => loadConfig(file, {}) },
  prepare: (sim, world) => {
    // Removing people needs the restrict right (banChatMember).
    sim.promote(world.groups.cs.id, world.bots.cs.id, { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true, can_restrict_members: true })
    for (const name of ['nora', 'eve', 'olga', 'rex', 'adam'] as const) people[name] = sim.createUser({ firstName: name[0]!.toUpperCase() + name.slice(1), username: `${name}_x` })
    helperBot = sim.createBot({ token: '7099:helper-bot', username: 'helper_bot' })
    sim.addMember(world.groups.north.id, people.rex.id)
    sim.addMember(world.groups.cs.id, people.adam.id)
    sim.promote(world.groups.cs.id, people.adam.id, {})
    Object.assign(world.project, { allowedMembers: [people.olga.id] })
    return {
      agents: [
        { id: people.nora.id, name: 'Nora', projects: { [world.project.key]: { roles: ['cs'] } } },
        { id: people.rex.id, name: 'Rex', projects: { [world.project.key]: { roles: ['cr'], teams: ['north'] } } },
      ],
    }
  },
})

const cs = () => h.world.groups.cs.id
const api = (bot: { token: string }) => new Api(bot.token, { apiRoot: h.sim.url })
const statusOf = async (userId: number) => (await api(h.world.bots.cs).getChatMember(cs(), userId)).status

describe('enforceMembership', () => {
  it('removes a stranger who joins a staff group (free to be invited again) and tells the leads; agents, allowed people and bots stay', async () => {
    const { sim, world } = h
    // The listening staff bots ask for chat_member (from their first getUpdates on); the client bot does not.
    await sim.waitFor(() => sim.allowedUpdates(world.bots.cs.id).includes('chat_member'), { message: 'the CS bot asked for chat_member' })
    await sim.waitFor(() => sim.allowedUpdates(world.bots.cr.id).includes('chat_member'), { message: 'the CR bot asked for chat_member' })
    await sim.waitFor(() => sim.allowedUpdates(world.bots.client.id).includes('message_reaction'), { message: 'the client bot polled' })
    expect(sim.allowedUpdates(world.bots.client.id)).not.toContain('chat_member')
    sim.addMember(cs(), people.nora.id)
    sim.addMember(cs(), people.olga.id)
    sim.addMember(cs(), helperBot.id)
    sim.addMember(cs(), people.eve.id)
    const notice = await sim.waitFor(() => sim.chatMessages(cs()).find((m) => m.from.is_bot && m.text?.includes('Eve (@eve_x')))
    expect(notice.text).toContain(`Eve (@eve_x, id ${people.eve.id}) joined Acme CS but is not an authorised agent of this project, so they were removed.`)
    const onboarding = sim.topics(cs()).find((t) => t.name === 'Onboarding')
    expect(onboarding).toBeDefined()
    expect(notice.thread_id).toBe(onboarding!.message_thread_id)
    await pollUntil(async () => (await statusOf(people.eve.id)) === 'left', { message: 'Eve removed' })
    // Membership changes of one chat are handled in order: the others, who joined first, were kept.
    expect(await statusOf(people.nora.id)).toBe('member')
    expect(await statusOf(people.olga.id)).toBe('member')
    expect(await statusOf(helperBot.id)).toBe('member')
  })
})

describe('the membership sweep', () => {
  it('after a reload removes those no longer on the roster, and lists to the leads those the bot cannot remove', async () => {
    const { sim, world } = h
    // Nora said something in the CS group: the service has seen her there.
    sim.sendGroup(people.nora.id, cs(), { text: 'Nora was here' })
    const gone = new Set([people.nora.id, people.rex.id])
    const config = { ...h.config, agents: [], projects: h.config.projects.map((p) => ({ ...p, staff: p.staff.filter((m) => !gone.has(m.id)) })) }
    writeFileSync(file, JSON.stringify(config))
    const reload = await h.app.reloadRosters()
    expect(reload.ok).toBe(true)
    await pollUntil(async () => (await statusOf(people.nora.id)) === 'left', { message: 'Nora removed' })
    const sweeps = () => sim.chatMessages(cs()).filter((m) => m.from.is_bot && m.text?.startsWith('🚫 Membership check'))
    const notice = await sim.waitFor(() => sweeps().find((m) => m.text!.includes('Nora')))
    // The sweep at start-up already listed Adam (no one else was out of place then).
    expect(sweeps()[0]!.text).toContain(`• Adam (@adam_x, id ${people.adam.id}) in Acme CS (an administrator)`)
    expect(sweeps()[0]!.text).not.toContain('Nora')
    expect(notice.text).toContain(`• Nora (@nora_x, id ${people.nora.id}) from Acme CS`)
    expect(notice.text).toContain(`• Rex (@rex_x, id ${people.rex.id}) in CR North (the bot lacks the Ban users right)`)
    expect(notice.text).toContain(`• Adam (@adam_x, id ${people.adam.id}) in Acme CS (an administrator)`)
    // Rex stays in North (no right to remove him), Olga (allowed) and the bots stay.
    expect((await api(world.bots.cr).getChatMember(world.groups.north.id, people.rex.id)).status).toBe('member')
    expect(await statusOf(people.olga.id)).toBe('member')
    expect(notice.text).not.toContain('Olga')
    // The doctor keeps the list of those still in place.
    const listed = (await runDoctor(loadConfig(file, {}))).filter((row) => row.area === 'staff' && row.subject.includes(' in '))
    expect(listed.map((row) => [row.subject, row.ok, row.fix])).toEqual([
      [`Adam (id ${people.adam.id}) in 'Acme CS'`, false, 'an administrator: remove them (or their admin rights) by hand, or add them to the agents'],
      [`Rex (id ${people.rex.id}) in 'CR North'`, false, "the group's bot lacks the Ban users right: give it the right, or remove them by hand"],
    ])
  })
})
