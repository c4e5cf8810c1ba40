import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp } from '../../src/app.js'
import { createLogger } from '../../src/logger.js'
import { STAFF_ROLES, type RoleDefinition } from '../../src/domain/roles.js'
import { startHarness, type Harness } from '../support/harness.js'
import { onboard, waitForTopic, waitForTopicMessage } from '../support/flows.js'

/**
 * A fourth staff role is one registry entry (plus its texts): its group gets a topic at
 * assignment and client messages reach it, with nothing else changed. The registry is a value
 * given to the app, so the production roles stay as they are.
 */
describe('role registry', () => {
  let h: Harness
  let quality: { bot: { id: number; token: string }; chatId: number }

  beforeAll(async () => {
    h = await startHarness({
      prepare: (sim, world) => {
        const bot = sim.createBot({ token: '7009:quality-bot-token', username: 'acme_quality_bot' })
        const group = sim.createForumGroup({
          title: 'Acme Quality',
          members: [world.people.alice.id],
          admins: [{ id: bot.id, rights: { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true } }],
        })
        quality = { bot, chatId: group.id }
      },
    })
    const qualityRole: RoleDefinition = {
      key: 'quality',
      groupKind: 'single',
      groups: () => [{ teamKey: 'quality', chatId: quality.chatId, title: 'Quality', anonymous: false }],
      label: () => 'QA',
      botTokens: () => [quality.bot.token],
      staff: ['cs_lead'],
      opensAtAssignment: () => true,
    }
    // The same service, run with one more role.
    await h.app.stop()
    h.app = await startApp(h.config, createLogger(h.config.log.level), { migrate: false, roles: [...STAFF_ROLES, qualityRole] })
  })
  afterAll(() => h?.stop())

  it('gives an assigned customer a topic in the new role’s group, and relays client messages there', async () => {
    const { sim, world } = h
    const zoe = world.people.zoe
    await onboard(h, zoe, 'zoe@example.com', 'north')
    const topic = await waitForTopic(h, quality.chatId, 'Zoe Quinn')
    sim.sendPrivate(zoe.id, world.bots.client.id, { text: 'Is anyone checking the quality?' })
    const copy = await waitForTopicMessage(h, quality.chatId, topic.message_thread_id, 'Is anyone checking the quality?')
    expect(copy.from?.id).toBe(quality.bot.id)
    expect(STAFF_ROLES.map((role) => role.key)).toEqual(['cs', 'cr', 'treatment'])
  })
})
