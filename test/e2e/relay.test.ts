import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages, relayLinks } from '../../src/db/schema/index.js'
import { pollUntil } from '../support/poll.js'
import { fileBytesOf, fileUniqueIdOf, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

const clientBot = () => h.world.bots.client.id
const cs = () => h.world.groups.cs.id
const north = () => h.world.groups.north.id

describe('client → staff', () => {
  it('copies a text with its entities into every topic of the customer, mapped in the database', async () => {
    const { sim, world } = h
    const original = sim.sendPrivate(world.people.zoe.id, clientBot(), { text: 'Hello team, my order is late', entities: [{ type: 'bold', offset: 0, length: 5 }] })
    const inCs = await waitForTopicMessage(h, cs(), zoe.cs, 'my order is late')
    const inCr = await waitForTopicMessage(h, north(), zoe.cr, 'my order is late')
    expect(inCs.from.id).toBe(world.bots.cs.id)
    expect(inCr.from.id).toBe(world.bots.cr.id)
    expect(inCs.entities).toEqual([{ type: 'bold', offset: 0, length: 5 }])
    const [stored] = await h.database.db.select().from(messages).where(eq(messages.messageId, original.message_id))
    expect(stored).toMatchObject({ origin: 'client', kind: 'text', chatId: world.people.zoe.id })
    const linksOf = () => h.database.db.select().from(relayLinks).where(eq(relayLinks.messageId, stored!.id))
    // The copy ids are recorded right after the sends return.
    await pollUntil(async () => (await linksOf()).every((l) => l.copyMessageId !== null))
    const links = await linksOf()
    expect(links.map((l) => [l.chatId, l.copyMessageId, l.botId]).sort()).toEqual(
      [
        [cs(), inCs.message_id, world.bots.cs.id],
        [north(), inCr.message_id, world.bots.cr.id],
      ].sort(),
    )
  })

  it('carries every media type across bots, uploading each file at most once per bot', async () => {
    const { sim, world } = h
    const zoeId = world.people.zoe.id
    const contents = [
      { photo: { bytes: Buffer.from('photo-bytes-1') }, caption: 'a photo' },
      { video: { bytes: Buffer.from('video-bytes') }, caption: 'a video' },
      { animation: { bytes: Buffer.from('gif-bytes') } },
      { audio: { bytes: Buffer.from('audio-bytes') } },
      { voice: { bytes: Buffer.from('voice-bytes') } },
      { video_note: { bytes: Buffer.from('round-bytes') } },
      { document: { bytes: Buffer.from('pdf-bytes'), fileName: 'invoice.pdf' }, caption: 'the invoice' },
      { sticker: { bytes: Buffer.from('sticker-bytes'), emoji: '😀' } },
      { location: { latitude: 52.37, longitude: 4.89 } },
      { venue: { latitude: 52.37, longitude: 4.89, title: 'Office', address: 'Main St 1' } },
      { contact: { phone_number: '+31200000000', first_name: 'Zoe' } },
      { poll: { question: 'Which day?', options: ['Mon', 'Tue'] } },
      { dice: { emoji: '🎲' } },
    ] as const
    const uploadsBefore = { ...sim.stats().uploads }
    const sent = contents.map((content) => sim.sendPrivate(zoeId, clientBot(), content as never))
    const kinds = ['photo', 'video', 'animation', 'audio', 'voice', 'video_note', 'document', 'sticker', 'location', 'venue', 'contact', 'poll', 'text']
    for (const [chat, thread] of [
      [cs(), zoe.cs],
      [north(), zoe.cr],
    ] as const) {
      const copies = await sim.waitFor(() => {
        const list = sim.chatMessages(chat, { threadId: thread }).filter((m) => m.from.is_bot)
        const tail = list.slice(-contents.length)
        return tail.length === contents.length && tail[tail.length - 1]!.text?.includes('rolled') ? tail : undefined
      })
      expect(copies.map((m) => m.kind)).toEqual(kinds)
      for (const [i, copy] of copies.entries()) {
        const unique = fileUniqueIdOf(sent[i]!)
        if (unique) expect(fileBytesOf(h, copy.file_unique_id)).toEqual(fileBytesOf(h, unique))
      }
      expect(copies[0]!.text).toBe('a photo')
      expect(copies[6]!.text).toBe('the invoice')
    }
    const uploaded = (bot: number) => (sim.stats().uploads[bot] ?? 0) - (uploadsBefore[bot] ?? 0)
    expect(uploaded(world.bots.cs.id)).toBe(8)
    expect(uploaded(world.bots.cr.id)).toBe(8)
    // The same photo again (re-sent from the chat, so the same file object): each bot reuses its cached file_id.
    sim.sendPrivate(zoeId, clientBot(), { photo: { fileUniqueId: fileUniqueIdOf(sent[0]!) }, caption: 'same photo again' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'same photo again')
    await waitForTopicMessage(h, north(), zoe.cr, 'same photo again')
    expect(uploaded(world.bots.cs.id)).toBe(8)
    expect(uploaded(world.bots.cr.id)).toBe(8)
  })

  it('reuses each bot’s upload of a source file for an edit, a mirror and a file sent again', async () => {
    const { sim, world } = h
    const zoeId = world.people.zoe.id
    const uploads = () => ({ ...sim.stats().uploads })
    const photo = sim.sendPrivate(zoeId, clientBot(), { photo: { bytes: Buffer.from('edit-me') }, caption: 'before the edit' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'before the edit')
    await waitForTopicMessage(h, north(), zoe.cr, 'before the edit')
    const beforeEdit = uploads()
    // The edit re-sends the media of every copy (editMessageMedia) by the bot's cached file_id.
    sim.editMessage(zoeId, zoeId, photo.message_id, { text: 'after the edit' })
    await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.text === 'after the edit' && m.edited)
    await waitForTopicMessage(h, north(), zoe.cr, (m) => m.text === 'after the edit' && m.edited)
    expect(uploads()).toEqual(beforeEdit)

    // A staff photo goes to the client and is mirrored into the CR topic; re-sent, nobody uploads it again.
    const staff = sim.sendGroup(world.people.alice.id, cs(), { photo: { bytes: Buffer.from('label-scan') }, caption: 'your label' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId, clientBot(), 'your label')
    await waitForTopicMessage(h, north(), zoe.cr, 'your label')
    const afterFirst = uploads()
    sim.sendGroup(world.people.alice.id, cs(), { photo: { fileUniqueId: staff.photo!.at(-1)!.file_unique_id }, caption: 'your label again' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId, clientBot(), 'your label again')
    await waitForTopicMessage(h, north(), zoe.cr, 'your label again')
    expect(uploads()).toEqual(afterFirst)
  })

  it('keeps an album together', async () => {
    const { sim, world } = h
    const parts = sim.sendAlbum(world.people.zoe.id, { botId: clientBot() }, [
      { photo: { bytes: Buffer.from('album-1') }, caption: 'album caption' },
      { photo: { bytes: Buffer.from('album-2') } },
      { video: { bytes: Buffer.from('album-3') } },
    ])
    const copies = await sim.waitFor(() => {
      const list = sim.chatMessages(cs(), { threadId: zoe.cs }).filter((m) => m.media_group_id)
      const group = list.filter((m) => m.media_group_id === list[list.length - 1]?.media_group_id)
      return group.length === 3 ? group : undefined
    })
    expect(copies.map((m) => fileBytesOf(h, m.file_unique_id))).toEqual(parts.map((p) => fileBytesOf(h, fileUniqueIdOf(p))))
    expect(copies[0]!.text).toBe('album caption')
  })

  it('turns what cannot be carried into a visible placeholder', async () => {
    const { sim, world } = h
    sim.sendPrivate(world.people.zoe.id, clientBot(), { document: { bytes: Buffer.from('big'), size: 25 * 1024 * 1024, fileName: 'huge.zip' } })
    const placeholder = await waitForTopicMessage(h, cs(), zoe.cs, 'too large for a bot to relay')
    expect(placeholder.text).toContain('25.0 MB')
  })
})

describe('staff → client', () => {
  it('delivers a staff message attributed and mirrors it into the other topics', async () => {
    const { sim, world } = h
    sim.sendGroup(world.people.alice.id, cs(), { text: 'We are on it!' }, { threadId: zoe.cs })
    const atClient = await waitForPrivate(h, world.people.zoe.id, clientBot(), 'We are on it!')
    expect(atClient.text).toBe('Alice · CS\nWe are on it!')
    expect(atClient.entities).toEqual([{ type: 'bold', offset: 0, length: 'Alice · CS'.length }])
    const mirror = await waitForTopicMessage(h, north(), zoe.cr, 'We are on it!')
    expect(mirror.text).toBe('Alice · CS → client\nWe are on it!')
  })

  it('carries staff media to the client with the attribution in the caption', async () => {
    const { sim, world } = h
    sim.sendGroup(world.people.carol.id, north(), { photo: { bytes: Buffer.from('staff-photo') }, caption: 'Your label' }, { threadId: zoe.cr })
    const atClient = await waitForPrivate(h, world.people.zoe.id, clientBot(), 'Your label')
    expect(atClient.kind).toBe('photo')
    expect(atClient.text).toBe('Carol · CR\nYour label')
    expect(fileBytesOf(h, atClient.file_unique_id)).toEqual(Buffer.from('staff-photo'))
  })

  it('labels anonymous teams with the role only', async () => {
    const { sim, world } = h
    h.app.projects[0]!.config.groups.cr.find((t) => t.key === 'north')!.anonymous = true
    try {
      sim.sendGroup(world.people.carol.id, north(), { text: 'Anonymous hello' }, { threadId: zoe.cr })
      const atClient = await waitForPrivate(h, world.people.zoe.id, clientBot(), 'Anonymous hello')
      expect(atClient.text).toBe('CR\nAnonymous hello')
    } finally {
      h.app.projects[0]!.config.groups.cr.find((t) => t.key === 'north')!.anonymous = false
    }
  })

  it('keeps internal notes in the topic and acknowledges them with a reaction', async () => {
    const { sim, world } = h
    const note = sim.sendGroup(world.people.bob.id, cs(), { text: '// VIP, handle with care' }, { threadId: zoe.cs })
    await sim.waitFor(() => sim.chatMessages(cs(), { threadId: zoe.cs }).find((m) => m.message_id === note.message_id && m.reactions.some((r) => r.emoji === '✍')))
    sim.sendGroup(world.people.bob.id, cs(), { text: 'after the note' }, { threadId: zoe.cs })
    await waitForPrivate(h, world.people.zoe.id, clientBot(), 'after the note')
    expect(sim.privateMessages(world.people.zoe.id, clientBot()).some((m) => m.text?.includes('VIP'))).toBe(false)
    expect(sim.chatMessages(north(), { threadId: zoe.cr }).some((m) => m.text?.includes('VIP'))).toBe(false)
  })

  it('never relays strangers, the General topic or commands', async () => {
    const { sim, world } = h
    sim.sendGroup(world.people.mallory.id, cs(), { text: 'stranger in the topic' }, { threadId: zoe.cs })
    sim.sendGroup(world.people.alice.id, cs(), { text: 'general chatter' })
    sim.sendGroup(world.people.alice.id, cs(), { text: '/frobnicate' }, { threadId: zoe.cs })
    await waitForTopicMessage(h, cs(), zoe.cs, 'Unknown command /frobnicate')
    sim.sendGroup(world.people.alice.id, cs(), { text: 'marker after ignored ones' }, { threadId: zoe.cs })
    await waitForPrivate(h, world.people.zoe.id, clientBot(), 'marker after ignored ones')
    const seen = sim.privateMessages(world.people.zoe.id, clientBot()).map((m) => m.text ?? '')
    expect(seen.some((t) => /stranger|general chatter|frobnicate/.test(t))).toBe(false)
  })
})
