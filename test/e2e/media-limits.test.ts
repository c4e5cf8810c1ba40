import { describe, expect, it } from 'vitest'
import type { Harness } from '../support/harness.js'
import { type OnboardedTopics, waitForTopicMessage, withOnboardedZoe } from '../support/flows.js'

let h: Harness
let zoe: OnboardedTopics
withOnboardedZoe((harness, topics) => {
  h = harness
  zoe = topics
})

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
})
