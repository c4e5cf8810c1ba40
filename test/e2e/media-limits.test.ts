import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { outbox } from '../../src/db/schema/index.js'
import { messagesOfJob } from '../../src/delivery/executor.js'
import { TelegramGateway } from '../../src/delivery/gateway.js'
import type { OutboxJob } from '../../src/delivery/jobs.js'
import { fileBytesOf, waitForTopicMessage } from '../support/flows.js'
import { outboxSettled } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe()

const clientBot = () => h.world.bots.client.id
const cs = () => h.world.groups.cs.id

/** Words of varying length, so cuts land on word boundaries rather than by luck. */
const words = (count: number, seed: string) => Array.from({ length: count }, (_, i) => `${seed}${i}${'x'.repeat(i % 7)}`).join(' ')

describe('captions over 1024 characters', () => {
  it('sends the media with the first part of the caption, cut at a word, and the rest right after', async () => {
    const { sim, world } = h
    // Premium users may write captions up to 4096 characters; bots may send only 1024.
    const caption = words(180, 'cap')
    expect(caption.length).toBeGreaterThan(1024)
    sim.sendPrivate(world.people.zoe.id, clientBot(), { photo: { bytes: Buffer.from('long-caption-photo') }, caption })
    const photo = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.kind === 'photo' && m.text?.startsWith('cap0 ') === true)
    const follow = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.kind === 'text' && m.message_id === photo.message_id + 1)
    expect(photo.text!.length).toBeLessThanOrEqual(1024)
    expect(photo.text!.length).toBeGreaterThan(512)
    expect(photo.text!.endsWith(' ')).toBe(true)
    expect(photo.text! + follow.text!).toBe(caption)
  })

  it('keeps the attribution and the caption on the media when staff send a caption that fits only without the header', async () => {
    const { sim, world } = h
    const caption = `${words(140, 'lbl')}`.slice(0, 1020).trimEnd()
    sim.sendGroup(world.people.carol.id, zoe.crChat, { document: { bytes: Buffer.from('label-pdf'), fileName: 'label.pdf' }, caption }, { threadId: zoe.cr })
    const doc = await sim.waitFor(() => sim.privateMessages(world.people.zoe.id, clientBot()).find((m) => m.kind === 'document' && m.text?.startsWith('Carol · CR\nlbl0')))
    expect(doc.entities?.[0]).toEqual({ type: 'bold', offset: 0, length: 'Carol · CR'.length })
    const rest = await sim.waitFor(() => sim.privateMessages(world.people.zoe.id, clientBot()).find((m) => m.message_id === doc.message_id + 1))
    expect(doc.text!.length).toBeLessThanOrEqual(1024)
    expect(doc.text!.slice('Carol · CR\n'.length) + rest.text!).toBe(caption)
  })

  it('posts an edit whose caption grew past 1024 characters as a new, marked message instead of losing it', async () => {
    const { sim, world } = h
    const photo = sim.sendPrivate(world.people.zoe.id, clientBot(), { photo: { bytes: Buffer.from('grown-caption') }, caption: 'short caption' })
    const copy = await waitForTopicMessage(h, cs(), zoe.cs, 'short caption')
    const grown = words(180, 'grow')
    sim.editMessage(world.people.zoe.id, world.people.zoe.id, photo.message_id, { photo: { bytes: Buffer.from('grown-caption') }, caption: grown })
    const edit = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.reply_to_message_id === copy.message_id && m.text?.startsWith('✏️ Edited\ngrow0') === true)
    expect(edit.kind).toBe('photo')
    const rest = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.message_id === edit.message_id + 1)
    expect(edit.text!.slice('✏️ Edited\n'.length) + rest.text!).toBe(grown)
  })
})

/** The bot copies of the latest album in a topic, once it has `count` items. */
function latestAlbum(chatId: number, threadId: number | undefined, count: number, list = () => h.sim.chatMessages(chatId, { threadId })) {
  return h.sim.waitFor(
    () => {
      const items = list().filter((m) => m.from.is_bot && m.media_group_id)
      const group = items.filter((m) => m.media_group_id === items.at(-1)?.media_group_id)
      return group.length === count ? group : undefined
    },
    { message: `an album of ${count} in ${chatId}` },
  )
}

describe('albums', () => {
  it('turns an oversize part into its placeholder and still delivers the rest as one album', async () => {
    const { sim, world } = h
    sim.sendAlbum(world.people.zoe.id, { botId: clientBot() }, [
      { photo: { bytes: Buffer.from('fits-1') } },
      { video: { bytes: Buffer.from('too-big'), size: 25 * 1024 * 1024 } },
      { photo: { bytes: Buffer.from('fits-2') } },
    ])
    const album = await latestAlbum(cs(), zoe.cs, 2)
    // Each upload is a new file object: the copies are the same files by their bytes, not their ids.
    expect(album.map((m) => fileBytesOf(h, m.file_unique_id))).toEqual([Buffer.from('fits-1'), Buffer.from('fits-2')])
    const placeholder = await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.message_id > album[1]!.message_id && m.text?.includes('too large for a bot to relay') === true)
    expect(placeholder.text).toContain('25.0 MB')
    await latestAlbum(zoe.crChat, zoe.cr, 2)
    // The album shows in the chat before its sender records the copies: weigh the rows once recorded.
    await outboxSettled(h.app.db)
    const dead = await h.database.db.select().from(outbox).where(eq(outbox.state, 'dead'))
    expect(dead).toEqual([])
    // Every part queued a job; once the first sent them all, the others weigh nothing against the budget.
    const albumRows = (await h.database.db.select().from(outbox)).filter((r) => (JSON.parse(r.job) as { type: string }).type === 'relay_album')
    expect(albumRows.length).toBeGreaterThanOrEqual(3)
    const gateway = new TelegramGateway(sim.url)
    for (const bot of Object.values(world.bots)) gateway.register(bot.id, bot.token)
    for (const r of albumRows) {
      const claimed = {
        id: r.id,
        token: r.claimToken ?? '',
        projectId: r.projectId,
        class: r.class,
        destination: r.destination,
        botId: r.botId,
        job: JSON.parse(r.job) as OutboxJob,
        attempts: r.attempts,
      }
      expect(await messagesOfJob({ db: h.database.db, gateway }, claimed)).toBe(0)
    }
  })

  it('shows the attribution and every caption under one item only', async () => {
    const { sim, world } = h
    sim.sendAlbum(world.people.carol.id, { chatId: zoe.crChat, threadId: zoe.cr }, [
      { photo: { bytes: Buffer.from('staff-album-1') }, caption: 'front' },
      { photo: { bytes: Buffer.from('staff-album-2') } },
      { photo: { bytes: Buffer.from('staff-album-3') }, caption: 'back' },
    ])
    const album = await latestAlbum(world.people.zoe.id, undefined, 3, () => sim.privateMessages(world.people.zoe.id, clientBot()))
    expect(album.map((m) => m.text)).toEqual(['Carol · CR\nfront\n\nback', undefined, undefined])
    expect(album[0]!.entities).toEqual([{ type: 'bold', offset: 0, length: 'Carol · CR'.length }])
  })

  it('sends the captions right after the album when with the attribution they pass 1024 characters', async () => {
    const { sim, world } = h
    const first = words(90, 'one')
    const second = words(90, 'two')
    sim.sendAlbum(world.people.carol.id, { chatId: zoe.crChat, threadId: zoe.cr }, [
      { photo: { bytes: Buffer.from('long-album-1') }, caption: first },
      { photo: { bytes: Buffer.from('long-album-2') }, caption: second },
    ])
    const album = await latestAlbum(world.people.zoe.id, undefined, 2, () => sim.privateMessages(world.people.zoe.id, clientBot()))
    expect(album.map((m) => m.text)).toEqual(['Carol · CR', undefined])
    const follow = await sim.waitFor(() => sim.privateMessages(world.people.zoe.id, clientBot()).find((m) => m.message_id === album[1]!.message_id + 1))
    expect(follow.text).toBe(`${first}\n\n${second}`)
  })
})
