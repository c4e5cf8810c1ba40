import { Api, GrammyError } from 'grammy'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import { staffCommands } from '../../src/bots/staff/commands/index.js'
import { commandMenu } from '../../src/bots/staff/commands/render.js'
import { createLogger } from '../../src/logger.js'
import { onboard, waitForTopicMessage } from '../support/flows.js'
import { startHarness, type Harness } from '../support/harness.js'

let h: Harness
const DESCRIPTION = 'Write to Acme Agency here: your account team answers in this chat.'
const SHORT = 'Acme Agency customer service'
/** The staff bots' private-chat menu: presence only. */
const PRESENCE = ['online', 'away', 'offline']
/** What the registry renders for a group (its lists are spelled out in test/bots/commands-registry.test.ts). */
const menuOf = (role: string, who: 'everyone' | 'lead' = 'everyone') => commandMenu(staffCommands, role, who).map((c) => c.command)

beforeAll(async () => {
  h = await startHarness({ project: { clientBot: { description: DESCRIPTION, shortDescription: SHORT } } })
})
afterAll(async () => h?.stop())

const apiOf = (bot: { token: string }) => new Api(bot.token, { apiRoot: h.sim.url })
const names = (commands: Array<{ command: string }>) => commands.map((c) => c.command)

describe('bot profiles at start-up', () => {
  it('sets the command menus by scope and the client bot descriptions from the config', async () => {
    const report = await h.app.profiles
    expect(report.failed).toEqual([])
    const { bots, groups, people } = h.world
    expect(names(await apiOf(bots.client).getMyCommands({ scope: { type: 'all_private_chats' } }))).toEqual(['start'])
    expect((await apiOf(bots.client).getMyDescription()).description).toBe(DESCRIPTION)
    expect((await apiOf(bots.client).getMyShortDescription()).short_description).toBe(SHORT)
    const cs = apiOf(bots.cs)
    expect(names(await cs.getMyCommands({ scope: { type: 'chat', chat_id: groups.cs.id } }))).toEqual(menuOf('cs'))
    expect(names(await cs.getMyCommands({ scope: { type: 'all_private_chats' } }))).toEqual(PRESENCE)
    expect(names(await apiOf(bots.treatment).getMyCommands({ scope: { type: 'all_private_chats' } }))).toEqual(PRESENCE)
    // A CS lead's menu in the CS group has the lead-only commands too: exactly the registry's (listed in commands-registry.test).
    const leadMenu = menuOf('cs', 'lead')
    expect(leadMenu).toContain('failed')
    expect(names(await cs.getMyCommands({ scope: { type: 'chat_member', chat_id: groups.cs.id, user_id: people.alice.id } }))).toEqual(leadMenu)
    expect(names(await apiOf(bots.cr).getMyCommands({ scope: { type: 'chat', chat_id: groups.north.id } }))).toEqual(menuOf('cr'))
    expect(names(await apiOf(bots.treatment).getMyCommands({ scope: { type: 'chat', chat_id: groups.treatment.id } }))).toEqual(menuOf('treatment'))
  })

  it('only reads on the next start when nothing changed', async () => {
    await h.app.profiles
    const before = h.sim.stats().calls
    const second = await startApp(createConfig(h.config), createLogger('silent'), { migrate: false })
    try {
      const report = await second.profiles
      expect(report.set).toEqual([])
      expect(report.unchanged).toBeGreaterThan(0)
      const after = h.sim.stats().calls
      for (const method of ['setMyCommands', 'setMyDescription', 'setMyShortDescription']) expect(after[method] ?? 0).toBe(before[method] ?? 0)
      expect(after.getMyCommands ?? 0).toBeGreaterThan(before.getMyCommands ?? 0)
    } finally {
      await second.stop()
    }
  })

  it('answers /help in a staff group with the commands of that group and who may use them', async () => {
    const { sim, world } = h
    sim.sendGroup(world.people.bob.id, world.groups.cs.id, { text: '/help' })
    const help = await sim.waitFor(() => sim.chatMessages(world.groups.cs.id).find((m) => m.from.is_bot && m.text?.startsWith('Commands here:')))
    expect(help.text).toContain("/failed: the project's dead outbox rows and failed updates, with a retry button per row — CS leads")
    expect(help.text).toContain('/reassign')
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    sim.sendGroup(world.people.carol.id, zoe.crChat, { text: '/help' }, { threadId: zoe.cr })
    const inCr = await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.from.is_bot && m.text?.startsWith('Commands here:') === true)
    expect(inCr.text).not.toContain('/reassign')
    expect(inCr.text).not.toContain('/failed')
    expect(inCr.text).toContain('/history')
  })
})

describe('the simulator checks command scopes and descriptions as Telegram does', () => {
  const refusal = (call: Promise<unknown>) =>
    call.then(
      () => 'accepted',
      (e: unknown) => (e instanceof GrammyError ? e.description : String(e)),
    )

  it('refuses a chat scope for a chat the bot is not in, a chat_member scope for someone not in the chat, and overlong descriptions', async () => {
    const { bots, groups, people } = h.world
    const cs = apiOf(bots.cs)
    expect(await refusal(cs.setMyCommands([{ command: 'x', description: 'x' }], { scope: { type: 'chat', chat_id: groups.north.id } }))).toBe('Bad Request: chat not found')
    expect(await refusal(cs.setMyCommands([{ command: 'x', description: 'x' }], { scope: { type: 'chat_member', chat_id: groups.cs.id, user_id: people.carol.id } }))).toBe(
      'Bad Request: user not found',
    )
    expect(await refusal(cs.getMyCommands({ scope: { type: 'chat_member', chat_id: groups.cs.id, user_id: 0 } }))).toBe(
      "Bad Request: Can't parse BotCommandScope: Invalid user_id specified",
    )
    expect(await refusal(cs.getMyCommands({ scope: { type: 'everywhere' } as never }))).toBe("Bad Request: Can't parse BotCommandScope: Unsupported type specified")
    const client = apiOf(bots.client)
    expect(await refusal(client.setMyDescription('d'.repeat(513)))).toBe('Bad Request: description is too long')
    expect(await refusal(client.setMyShortDescription('s'.repeat(121)))).toBe('Bad Request: short_description is too long')
    expect(await refusal(client.setMyShortDescription('s'.repeat(120)))).toBe('accepted')
    // An empty string removes it.
    await client.setMyShortDescription('')
    expect((await client.getMyShortDescription()).short_description).toBe('')
  })
})
