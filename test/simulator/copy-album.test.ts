import { InputFile } from 'grammy'
import type { Message } from 'grammy/types'
import { describe, expect, it } from 'vitest'
import { failure, updates, useWorld } from './helpers.js'

const w = useWorld()

describe('copy and forward', () => {
  it('copies only from chats the bot can read', async () => {
    const m = w.sim.sendPrivate(w.alice, w.client.id, { text: 'secret' })
    const e = await failure(w.cs.api.copyMessage(w.group, w.alice, m.message_id))
    expect(e.description).toBe('Bad Request: message to copy not found')
    const copy = await w.client.api.copyMessage(w.alice, w.alice, m.message_id)
    expect(Object.keys(copy)).toEqual(['message_id'])
    expect((await failure(w.client.api.copyMessage(w.alice, w.alice, 999))).description).toBe('Bad Request: message to copy not found')
  })

  it('copies albums together with copyMessages and forwards with origin', async () => {
    const t = await w.cs.api.createForumTopic(w.group, 'T')
    const album = w.sim.sendAlbum(w.bob, { chatId: w.group, threadId: t.message_thread_id }, [{ photo: {} }, { video: {} }])
    expect(album[0]?.media_group_id).toBe(album[1]?.media_group_id)
    const ids = album.map((a) => a.message_id)
    expect((await failure(w.cs.api.copyMessages(w.group, w.group, [ids[1]!, ids[0]!]))).error_code).toBe(400)
    const copies = await w.cs.api.copyMessages(w.group, w.group, ids)
    expect(copies).toHaveLength(2)
    const views = w.sim.chatMessages(w.group).filter((v) => copies.some((c) => c.message_id === v.message_id))
    expect(views[0]?.media_group_id).toBeDefined()
    expect(views[0]?.media_group_id).toBe(views[1]?.media_group_id)
    expect(views[0]?.media_group_id).not.toBe(album[0]?.media_group_id)
    expect(views.map((v) => v.file_unique_id)).toEqual(album.map((a) => a.photo?.at(-1)?.file_unique_id ?? a.video?.file_unique_id))
    expect((await failure(w.cs.api.copyMessage(w.group, w.group, t.message_thread_id))).error_code).toBe(400)
    const fwd = await w.cs.api.forwardMessage(w.group, w.group, ids[0]!)
    expect(fwd.forward_origin).toMatchObject({ type: 'user', sender_user: { id: w.bob } })
    expect((await failure(w.cs.api.editMessageCaption(w.group, fwd.message_id, { caption: 'x' }))).description).toBe("Bad Request: message can't be edited")
  })
})

describe('sendMediaGroup', () => {
  it('sends 2-10 items with one media_group_id and checks the mix', async () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    const sent: Message[] = await w.client.api.sendMediaGroup(w.alice, [
      { type: 'photo', media: new InputFile(Buffer.from('p1')), caption: 'first' },
      { type: 'video', media: new InputFile(Buffer.from('v1')) },
    ])
    expect(sent).toHaveLength(2)
    expect(sent[0]?.media_group_id).toBe(sent[1]?.media_group_id)
    expect(w.sim.stats().uploads[w.client.id]).toBe(2)
    expect((await failure(w.client.api.sendMediaGroup(w.alice, [{ type: 'photo', media: sent[0]!.photo!.at(-1)!.file_id }]))).error_code).toBe(400)
    const mixed = await failure(
      w.client.api.sendMediaGroup(w.alice, [
        { type: 'document', media: new InputFile(Buffer.from('d')) },
        { type: 'photo', media: sent[0]!.photo!.at(-1)!.file_id },
      ] as never),
    )
    expect(mixed.error_code).toBe(400)
  })

  it('delivers a user album as separate updates sharing media_group_id', async () => {
    w.sim.sendAlbum(w.alice, { botId: w.client.id }, [{ photo: {} }, { photo: {} }, { document: {} }].slice(0, 2))
    const list = await updates(w.client.api)
    expect(list).toHaveLength(2)
    expect(list[0]?.message?.media_group_id).toBe(list[1]?.message?.media_group_id)
  })
})
