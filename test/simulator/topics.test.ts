import { describe, expect, it } from 'vitest'
import { drain, failure, updates, useWorld } from './helpers.js'

const w = useWorld()

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
    expect(w.sim.chatMessages(w.group, { threadId: 2 }).map((v) => [v.kind, v.reply_to_message_id])).toEqual([
      ['service', undefined],
      ['text', undefined],
      ['text', m.message_id],
    ])
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
  })

  it('cleans and truncates topic names instead of refusing them; an empty one fails', async () => {
    const long = await w.cs.api.createForumTopic(w.group, `  Zoe\n\tQuinn   ${'x'.repeat(200)}`)
    expect(long.name).toBe(`Zoe Quinn ${'x'.repeat(118)}`)
    expect(long.name).toHaveLength(128)
    expect(w.sim.topics(w.group).find((t) => t.message_thread_id === long.message_thread_id)?.name).toBe(long.name)
    expect((await failure(w.cs.api.createForumTopic(w.group, ' \n '))).description).toBe('Bad Request: title must be non-empty')
    expect((await failure(w.cs.api.editForumTopic(w.group, long.message_thread_id, { name: '   ' }))).description).toBe('Bad Request: title must be non-empty')
  })

  it('seeds topics a bot created before the run: names cleaned, no updates, sends accepted; a bot without the right may not', async () => {
    await drain(w.cs.api)
    const threads = w.sim.seedTopics(w.group, w.cs.id, ['Seeded  one', 'Seeded two'])
    expect(w.sim.topics(w.group).map((t) => [t.message_thread_id, t.name])).toEqual([
      [threads[0], 'Seeded one'],
      [threads[1], 'Seeded two'],
    ])
    expect(await updates(w.cs.api)).toEqual([])
    const m = await w.cr.api.sendMessage(w.group, 'copy', { message_thread_id: threads[1]! })
    expect(m.reply_to_message?.forum_topic_created?.name).toBe('Seeded two')
    expect((await w.cs.api.sendMessage(w.group, 'first', { message_thread_id: threads[0]! })).message_thread_id).toBe(threads[0])
    const member = w.sim.createBot({ token: '1011:m', username: 'm_bot' })
    w.sim.addMember(w.group, member.id)
    expect(() => w.sim.seedTopics(w.group, member.id, ['x'])).toThrow(/may not create topics/)
    expect(() => w.sim.seedTopics(w.group, w.cs.id, [' '])).toThrow()
  })

  it('fails sends to deleted and unknown topics; chat actions still succeed', async () => {
    const t = await w.cs.api.createForumTopic(w.group, 'T')
    expect((await failure(w.cs.api.sendMessage(w.group, 'x', { message_thread_id: 77 }))).description).toBe('Bad Request: message thread not found')
    w.sim.closeTopicByHand(w.group, t.message_thread_id)
    expect((await failure(w.cs.api.closeForumTopic(w.group, t.message_thread_id))).description).toBe('Bad Request: TOPIC_NOT_MODIFIED')
    await w.cs.api.reopenForumTopic(w.group, t.message_thread_id)
    await w.cs.api.sendMessage(w.group, 'open again', { message_thread_id: t.message_thread_id })
    w.sim.deleteTopicByHand(w.group, t.message_thread_id)
    expect((await failure(w.cs.api.sendMessage(w.group, 'x', { message_thread_id: t.message_thread_id }))).description).toBe('Bad Request: message thread not found')
    expect(await w.cs.api.sendChatAction(w.group, 'typing', { message_thread_id: t.message_thread_id })).toBe(true)
    expect(w.sim.topics(w.group)[0]).toMatchObject({ closed: false, deleted: true })
  })

  it('lets the creator and topic managers post in a closed topic; everyone else gets TOPIC_CLOSED', async () => {
    const { Api } = await import('grammy')
    const member = w.sim.createBot({ token: '1011:m', username: 'm_bot' })
    const creator = w.sim.createBot({ token: '1012:c', username: 'c_bot' })
    w.sim.addMember(w.group, member.id)
    w.sim.promote(w.group, creator.id, { can_manage_topics: true })
    const memberApi = new Api(member.token, { apiRoot: w.sim.url })
    const creatorApi = new Api(creator.token, { apiRoot: w.sim.url })
    const carol = w.sim.createUser({ firstName: 'Carol' }).id
    w.sim.addMember(w.group, carol)
    const t = await creatorApi.createForumTopic(w.group, 'T')
    // The creator keeps its rights to its own topic even without can_manage_topics.
    w.sim.promote(w.group, creator.id, { can_pin_messages: true })
    w.sim.closeTopicByHand(w.group, t.message_thread_id)
    const thread = { message_thread_id: t.message_thread_id }
    await w.cs.api.sendMessage(w.group, 'admin with can_manage_topics', thread)
    await creatorApi.sendMessage(w.group, 'creator', thread)
    w.sim.sendGroup(w.bob, w.group, { text: 'person with can_manage_topics' }, { threadId: t.message_thread_id })
    expect((await failure(memberApi.sendMessage(w.group, 'x', thread))).description).toBe('Bad Request: TOPIC_CLOSED')
    expect(() => w.sim.sendGroup(carol, w.group, { text: 'x' }, { threadId: t.message_thread_id })).toThrow('TOPIC_CLOSED')
    expect(
      w.sim
        .chatMessages(w.group, { threadId: t.message_thread_id })
        .filter((m) => m.kind === 'text')
        .map((m) => m.text),
    ).toEqual(['admin with can_manage_topics', 'creator', 'person with can_manage_topics'])
    expect((await failure(memberApi.reopenForumTopic(w.group, t.message_thread_id))).description).toBe('Bad Request: not enough rights to manage topics')
    await creatorApi.reopenForumTopic(w.group, t.message_thread_id)
    expect(w.sim.topics(w.group).find((x) => x.message_thread_id === t.message_thread_id)?.closed).toBe(false)
  })

  it('refuses everyone in closed topics of a group switched to closedTopicsRefuseAll', async () => {
    const t = await w.cs.api.createForumTopic(w.group, 'T')
    w.sim.setClosedTopicsRefuseAll(w.group)
    w.sim.closeTopicByHand(w.group, t.message_thread_id)
    expect((await failure(w.cs.api.sendMessage(w.group, 'x', { message_thread_id: t.message_thread_id }))).description).toBe('Bad Request: TOPIC_CLOSED')
    await w.cs.api.reopenForumTopic(w.group, t.message_thread_id)
    await w.cs.api.sendMessage(w.group, 'open again', { message_thread_id: t.message_thread_id })
  })

  it("tells admin bots of a person's close, reopen, rename and pin; a bot's own changes reach no bot", async () => {
    const t = await w.cs.api.createForumTopic(w.group, 'T')
    const m = await w.cs.api.sendMessage(w.group, 'card', { message_thread_id: t.message_thread_id })
    await w.cs.api.closeForumTopic(w.group, t.message_thread_id)
    await w.cs.api.reopenForumTopic(w.group, t.message_thread_id)
    await w.cs.api.pinChatMessage(w.group, m.message_id)
    // Telegram posts the service messages in the topic all the same.
    const kinds = () =>
      w.sim
        .chatMessages(w.group, { threadId: t.message_thread_id })
        .filter((v) => v.kind === 'service')
        .map((v) => Object.keys(v.raw).find((k) => /^(forum_topic|pinned_message|message_auto)/.test(k)))
    expect(kinds()).toEqual(['forum_topic_created', 'forum_topic_closed', 'forum_topic_reopened', 'pinned_message'])
    for (const bot of [w.cs, w.cr]) expect((await updates(bot.api)).filter((u) => u.message)).toEqual([])
    w.sim.closeTopicByHand(w.group, t.message_thread_id)
    w.sim.reopenTopicByHand(w.group, t.message_thread_id)
    w.sim.renameTopicByHand(w.group, t.message_thread_id, 'Renamed')
    w.sim.pinByHand(w.bob, w.group, m.message_id)
    w.sim.setAutoDeleteTimer(w.bob, w.group, 86400)
    for (const bot of [w.cs, w.cr]) {
      const got = (await updates(bot.api)).map((u) => u.message!).filter(Boolean)
      expect(got.map((g) => [g.message_thread_id, Object.keys(g).find((k) => /^(forum_topic|pinned_message|message_auto)/.test(k))])).toEqual([
        [t.message_thread_id, 'forum_topic_closed'],
        [t.message_thread_id, 'forum_topic_reopened'],
        [t.message_thread_id, 'forum_topic_edited'],
        [t.message_thread_id, 'pinned_message'],
        [undefined, 'message_auto_delete_timer_changed'],
      ])
      expect(got[3]?.pinned_message?.message_id).toBe(m.message_id)
    }
  })

  it('delivers a pin and an auto-delete timer set in a private chat to its bot', async () => {
    const own = w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    await drain(w.client.api)
    w.sim.pinByHand(w.alice, w.client.id, own.message_id)
    w.sim.setAutoDeleteTimer(w.alice, w.client.id, 604800)
    const got = (await updates(w.client.api)).map((u) => u.message!)
    expect(got.map((g) => [g.chat.id, g.pinned_message?.message_id, g.message_auto_delete_timer_changed?.message_auto_delete_time])).toEqual([
      [w.alice, own.message_id, undefined],
      [w.alice, undefined, 604800],
    ])
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
