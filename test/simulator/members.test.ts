import { Api } from 'grammy'
import { describe, expect, it } from 'vitest'
import { drain, failure, updates, useWorld } from './helpers.js'

const w = useWorld()

describe('chat_member, banChatMember and unbanChatMember', () => {
  it('tells only the admin bots that asked for chat_member when someone joins', async () => {
    await updates(w.cs.api, undefined, ['message', 'chat_member'])
    await drain(w.cs.api)
    await drain(w.cr.api)
    w.sim.addMember(w.group, w.alice)
    const [joined] = await updates(w.cs.api)
    expect(joined?.chat_member).toMatchObject({
      chat: { id: w.group },
      from: { id: w.alice },
      old_chat_member: { status: 'left' },
      new_chat_member: { status: 'member', user: { id: w.alice } },
    })
    // The default allowed_updates leaves chat_member out.
    expect((await updates(w.cr.api)).filter((u) => u.chat_member)).toEqual([])
  })

  it('bans and unbans with Telegram rules: rights, admins, only_if_banned', async () => {
    const plain = w.sim.createBot({ token: '1009:plain', username: 'plain_bot' })
    w.sim.addMember(w.group, plain.id)
    w.sim.addMember(w.group, w.alice)
    const status = async () => (await w.cs.api.getChatMember(w.group, w.alice)).status
    expect((await failure(new Api(plain.token, { apiRoot: w.sim.url }).banChatMember(w.group, w.alice))).description).toBe(
      'Bad Request: not enough rights to restrict/unrestrict chat member',
    )
    expect((await failure(w.cs.api.banChatMember(w.group, w.bob))).description).toBe('Bad Request: user is an administrator of the chat')
    // only_if_banned leaves a member alone.
    expect(await w.cs.api.unbanChatMember(w.group, w.alice, { only_if_banned: true })).toBe(true)
    expect(await status()).toBe('member')
    await updates(w.cs.api, undefined, ['chat_member'])
    await drain(w.cs.api)
    expect(await w.cs.api.banChatMember(w.group, w.alice)).toBe(true)
    expect(await status()).toBe('kicked')
    expect(await w.cs.api.unbanChatMember(w.group, w.alice, { only_if_banned: true })).toBe(true)
    expect(await status()).toBe('left')
    const changes = (await updates(w.cs.api)).map((u) => [u.chat_member?.old_chat_member.status, u.chat_member?.new_chat_member.status])
    expect(changes).toEqual([
      ['member', 'kicked'],
      ['kicked', 'left'],
    ])
    // Without only_if_banned, a member is removed (and may join again).
    w.sim.addMember(w.group, w.alice)
    expect(await w.cs.api.unbanChatMember(w.group, w.alice)).toBe(true)
    expect(await status()).toBe('left')
  })
})
