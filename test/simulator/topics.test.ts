import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { failure, startWorld, updates, type World } from './helpers.js'

let w: World
beforeEach(async () => {
  w = await startWorld()
})
afterEach(() => w.sim.close())

describe('forum topics', () => {
  it('creates a topic whose service message id is the thread id, with pseudo-replies', async () => {
    const topic = await w.cs.api.createForumTopic(w.group, 'Alice #1', { icon_color: 0xffd67e })
    // Message id 1 is the General topic's root, so the first topic is thread 2.
    expect(topic).toEqual({ message_thread_id: 2, name: 'Alice #1', icon_color: 0xffd67e })
    const m = await w.cs.api.sendMessage(w.group, 'hello', { message_thread_id: topic.message_thread_id })
    expect(m.message_thread_id).toBe(2)
    expect(m.is_topic_message).toBe(true)
    expect(m.reply_to_message?.message_id).toBe(2)
    expect(m.reply_to_message?.forum_topic_created?.name).toBe('Alice #1')
    const general = await w.cs.api.sendMessage(w.group, 'general')
    expect(general.message_thread_id).toBeUndefined()
    const reply = await w.cs.api.sendMessage(w.group, 'reply', { reply_parameters: { message_id: m.message_id } })
    expect(reply.message_thread_id).toBe(2)
    expect(w.sim.chatMessages(w.group, { threadId: 2 }).map((v) => [v.kind, v.reply_to_message_id])).toEqual([['service', undefined], ['text', undefined], ['text', m.message_id]])
  })

  it('checks rights, forum-ness, names and colors', async () => {
    const plain = w.sim.createBot({ token: '1010:p', username: 'p_bot' })
    w.sim.addMember(w.group, plain.id)
    const { Api } = await import('grammy')
    const api = new Api(plain.token, { apiRoot: w.sim.url })
    expect((await failure(api.createForumTopic(w.group, 'x'))).description).toBe('Bad Request: not enough rights to create a topic')
    const flat = w.sim.createForumGroup({ title: 'flat', isForum: false, admins: [{ id: w.cs.id }] })
    expect((await failure(w.cs.api.createForumTopic(flat.id, 'x'))).description).toBe('Bad Request: the chat is not a forum')
    expect((await failure(w.cs.api.createForumTopic(w.group, 'x', { icon_color: 0x123456 as never }))).error_code).toBe(400)
    expect((await failure(w.cs.api.createForumTopic(w.group, 'x'.repeat(129)))).error_code).toBe(400)
  })

  it('fails sends to deleted, closed and unknown topics; chat actions still succeed', async () => {
    const t = await w.cs.api.createForumTopic(w.group, 'T')
    expect((await failure(w.cs.api.sendMessage(w.group, 'x', { message_thread_id: 77 }))).description).toBe('Bad Request: message thread not found')
    w.sim.closeTopicByHand(w.group, t.message_thread_id)
    expect((await failure(w.cs.api.sendMessage(w.group, 'x', { message_thread_id: t.message_thread_id }))).description).toBe('Bad Request: TOPIC_CLOSED')
    expect((await failure(w.cs.api.closeForumTopic(w.group, t.message_thread_id))).description).toBe('Bad Request: TOPIC_NOT_MODIFIED')
    await w.cs.api.reopenForumTopic(w.group, t.message_thread_id)
    await w.cs.api.sendMessage(w.group, 'open again', { message_thread_id: t.message_thread_id })
    w.sim.deleteTopicByHand(w.group, t.message_thread_id)
    expect((await failure(w.cs.api.sendMessage(w.group, 'x', { message_thread_id: t.message_thread_id }))).description).toBe('Bad Request: message thread not found')
    expect(await w.cs.api.sendChatAction(w.group, 'typing', { message_thread_id: t.message_thread_id })).toBe(true)
    expect(w.sim.topics(w.group)[0]).toMatchObject({ closed: false, deleted: true })
  })

  it('delivers staff topic messages with the thread id and the pseudo-reply', async () => {
    const t = await w.cs.api.createForumTopic(w.group, 'T')
    await updates(w.cs.api)
    w.sim.sendGroup(w.bob, w.group, { text: 'answer' }, { threadId: t.message_thread_id })
    const list = await updates(w.cs.api)
    const msg = list.at(-1)?.message
    expect(msg?.message_thread_id).toBe(t.message_thread_id)
    expect(msg?.reply_to_message?.forum_topic_created).toBeDefined()
  })
})
