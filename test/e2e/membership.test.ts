import { Api } from 'grammy'
import { describe, expect, it } from 'vitest'
import type { SimUser } from '../../src/simulator/index.js'
import { pollUntil } from '../support/poll.js'
import { useHarness } from '../support/suite.js'

const people: Record<'nora' | 'eve' | 'olga', SimUser> = {} as never
let helperBot: { id: number }

/** The project enforces membership: Nora is an agent, Olga an allowed observer, Eve and Ivan strangers. */
const h = useHarness({
  project: { enforceMembership: true },
  prepare: (sim, world) => {
    // Removing people needs the restrict right (banChatMember).
    sim.promote(world.groups.cs.id, world.bots.cs.id, { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true, can_restrict_members: true })
    for (const name of ['nora', 'eve', 'olga'] as const) people[name] = sim.createUser({ firstName: name[0]!.toUpperCase() + name.slice(1), username: `${name}_x` })
    helperBot = sim.createBot({ token: '7099:helper-bot', username: 'helper_bot' })
    Object.assign(world.project, { allowedMembers: [people.olga.id] })
    return { agents: [{ id: people.nora.id, name: 'Nora', projects: { [world.project.key]: { roles: ['cs'] } } }] }
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
