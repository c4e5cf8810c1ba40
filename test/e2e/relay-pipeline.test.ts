import { and, eq, isNull } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { messages, relayHolds, relayLinks } from '../../src/db/schema/index.js'
import type { PolicyVerdict, RelayPolicy } from '../../src/domain/relay/policies/index.js'
import { releaseHold } from '../../src/domain/relay/release.js'
import { setCopyVariant } from '../../src/domain/relay/variants.js'
import { createApiKey } from '../../src/server/api/api-keys.js'
import { askInGroup, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

// Test-only policies, given to the app through StartOptions.policies (production passes none).
const WORD = 'quarantine'
const tokens = new Map<string, string>()
const holdWord: RelayPolicy = {
  name: 'test-hold-word',
  check(draft): PolicyVerdict {
    if (!draft.text.includes(WORD)) return { kind: 'pass' }
    return { kind: 'hold', reason: `contains "${WORD}"`, after: (_tx, _stored, { token }) => Promise.resolve(void tokens.set(draft.text, token)) }
  },
}
// The client's copy of a staff message saying "variant" says "REWRITTEN" instead; the topics keep the original.
const rewriteForClient: RelayPolicy = {
  name: 'test-variant',
  check(draft): PolicyVerdict {
    if (!draft.text.includes('variant')) return { kind: 'pass' }
    return { kind: 'rewrite', variantOf: (copy) => (copy.to === 'client' ? { text: draft.text.replace('variant', 'REWRITTEN') } : undefined) }
  },
}

// Answers instead of relaying, or drops: the two other verdicts.
const answerOrDrop: RelayPolicy = {
  name: 'test-answer-or-drop',
  check(draft): PolicyVerdict {
    if (draft.text.includes('opening hours')) return { kind: 'respond', text: 'We are open 9 to 5.' }
    if (draft.text.includes('buy cheap')) return { kind: 'drop', reason: 'dropped' }
    return { kind: 'pass' }
  },
}

const { h, zoe } = useOnboardedZoe({ start: { policies: [holdWord, rewriteForClient, answerOrDrop] } })

const clientBot = () => h.world.bots.client.id
const cs = () => h.world.groups.cs.id
const zoeId = () => h.world.people.zoe.id
const project = () => h.app.projects[0]!

/** The token of the hold on `text`, once its transaction committed. */
async function heldToken(text: string): Promise<string> {
  let token: string | undefined
  await pollUntil(
    async () => {
      token = tokens.get(text)
      if (!token) return false
      return (await h.database.db.select().from(relayHolds).where(eq(relayHolds.token, token))).length === 1
    },
    { message: `no hold on "${text}"` },
  )
  return token!
}

/** The stored message with this text, and how many copies it has (none while held). */
async function storedWithCopies(text: string) {
  const [message] = await h.database.db.select().from(messages).where(eq(messages.text, text))
  const links = message ? await h.database.db.select().from(relayLinks).where(eq(relayLinks.messageId, message.id)) : []
  return { message, links }
}

async function expectHeldThenRelayed(text: string, delivered: () => Promise<unknown>) {
  const token = await heldToken(text)
  const held = await storedWithCopies(text)
  expect(held.message?.notRelayed).toBe('held')
  expect(held.links).toHaveLength(0)
  expect(await releaseHold(h.app.deps, project(), token)).toBe('relayed')
  await delivered()
  expect((await storedWithCopies(text)).message?.notRelayed).toBeNull()
  // A token releases once.
  expect(await releaseHold(h.app.deps, project(), token)).toBe('done')
}

describe('a relay policy that holds', () => {
  it('holds a client message containing the word until it is released, then relays it to every topic', async () => {
    const text = `please ${WORD} my order`
    h.sim.sendPrivate(zoeId(), clientBot(), { text })
    await expectHeldThenRelayed(text, async () => {
      await waitForTopicMessage(h, cs(), zoe.cs, text)
      await waitForTopicMessage(h, zoe.crChat, zoe.cr, text)
    })
  })

  it('holds a staff message typed in a topic, then relays it to the client and mirrors it', async () => {
    const text = `typed ${WORD} reply`
    h.sim.sendGroup(h.world.people.alice.id, cs(), { text }, { threadId: zoe.cs })
    await expectHeldThenRelayed(text, async () => {
      await waitForPrivate(h, zoeId(), clientBot(), `Alice · CS\n${text}`)
      await waitForTopicMessage(h, zoe.crChat, zoe.cr, `Alice · CS → client\n${text}`)
    })
  })

  it('holds a canned reply sent with /c, then relays it', async () => {
    const text = `canned ${WORD} answer`
    expect((await askInGroup(h, h.world.people.alice.id, cs(), `/canned add quar ${text}`)).text).toContain('saved')
    h.sim.sendGroup(h.world.people.alice.id, cs(), { text: '/c quar' }, { threadId: zoe.cs })
    await expectHeldThenRelayed(text, () => waitForPrivate(h, zoeId(), clientBot(), `Alice · CS\n${text}`))
  })

  it('holds an API message (answered as held), then relays it', async () => {
    const text = `api ${WORD} notice`
    const { key } = await createApiKey(h.database.db, { projectId: h.projectId, name: 'pipeline' })
    const customerId = (await storedWithCopies(`please ${WORD} my order`)).message?.customerId
    const answer = await fetch(`http://127.0.0.1:${h.app.adminPort}/api/v1/projects/${h.world.project.key}/customers/${customerId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ staffId: h.world.people.carol.id, text }),
    })
    expect(answer.status).toBe(201)
    expect(await answer.json()).toMatchObject({ delivered: false, held: `contains "${WORD}"` })
    await expectHeldThenRelayed(text, () => waitForPrivate(h, zoeId(), clientBot(), `Carol · CR\n${text}`))
  })

  it('holds an edit: the copies keep the old version until the release, then show the new one', async () => {
    const original = h.sim.sendPrivate(zoeId(), clientBot(), { text: 'harmless words' })
    await waitForTopicMessage(h, cs(), zoe.cs, 'harmless words')
    const edited = `now ${WORD} words`
    h.sim.editMessage(zoeId(), zoeId(), original.message_id, { text: edited })
    const token = await heldToken(edited)
    // Held: the stored message keeps its old version, and no copy is edited.
    expect((await storedWithCopies('harmless words')).message?.editCount).toBe(0)
    expect(await releaseHold(h.app.deps, project(), token)).toBe('relayed')
    await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.text === edited && m.edited)
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.text === edited && m.edited)
  })
})

describe('a relay policy that answers or drops', () => {
  it('answers the client instead of relaying, or stores the message only', async () => {
    h.sim.sendPrivate(zoeId(), clientBot(), { text: 'what are your opening hours?' })
    await waitForPrivate(h, zoeId(), clientBot(), 'We are open 9 to 5.')
    const answered = await storedWithCopies('what are your opening hours?')
    expect([answered.message?.notRelayed, answered.links.length]).toEqual(['responded', 0])
    h.sim.sendPrivate(zoeId(), clientBot(), { text: 'buy cheap watches' })
    await pollUntil(async () => (await storedWithCopies('buy cheap watches')).message !== undefined)
    const dropped = await storedWithCopies('buy cheap watches')
    expect([dropped.message?.notRelayed, dropped.links.length]).toEqual(['dropped', 0])
  })
})

describe('a copy variant', () => {
  it('gives one destination a rewritten copy, and an edit of the original re-renders it', async () => {
    const staff = h.sim.sendGroup(h.world.people.alice.id, cs(), { text: 'a variant reply' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Alice · CS\na REWRITTEN reply')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Alice · CS → client\na variant reply')
    h.sim.editMessage(h.world.people.alice.id, cs(), staff.message_id, { text: 'a variant reply, edited' })
    await h.sim.waitFor(() => h.sim.privateMessages(zoeId(), clientBot()).find((m) => m.text === 'Alice · CS\na REWRITTEN reply, edited' && m.edited))
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.text === 'Alice · CS → client\na variant reply, edited' && m.edited)
  })

  it('added after the copy was sent, edits the copy (a late translation)', async () => {
    h.sim.sendGroup(h.world.people.alice.id, cs(), { text: 'Bonjour' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Alice · CS\nBonjour')
    const { message } = await storedWithCopies('Bonjour')
    // Shown to the client is not yet recorded: until its id is written, a variant is only stored.
    let toClient: typeof relayLinks.$inferSelect | undefined
    await pollUntil(
      async () => {
        ;[toClient] = await h.database.db
          .select()
          .from(relayLinks)
          .where(and(eq(relayLinks.messageId, message!.id), isNull(relayLinks.topicId)))
        return toClient?.copyMessageId != null
      },
      { message: 'the client copy recorded' },
    )
    expect(await setCopyVariant(h.app.deps, project(), toClient!.id, { text: 'Hello', entities: [{ type: 'italic', offset: 0, length: 5 }] })).toBe('edited')
    const edited = await h.sim.waitFor(() => h.sim.privateMessages(zoeId(), clientBot()).find((m) => m.text === 'Alice · CS\nHello' && m.edited))
    expect(edited.entities).toEqual([
      { type: 'bold', offset: 0, length: 'Alice · CS'.length },
      { type: 'italic', offset: 'Alice · CS\n'.length, length: 5 },
    ])
    // The topics keep the original.
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Alice · CS → client\nBonjour')
  })
})

describe('a copy variant in a CR reassignment', () => {
  it('goes with the history into the new topic', async () => {
    h.sim.sendPrivate(zoeId(), clientBot(), { text: 'Hola' })
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Hola')
    const { message } = await storedWithCopies('Hola')
    // Sent means recorded: the copy can show in the topic a moment before its id is written.
    const crLink = async () =>
      (
        await h.database.db
          .select()
          .from(relayLinks)
          .where(and(eq(relayLinks.messageId, message!.id), eq(relayLinks.chatId, zoe.crChat)))
      )[0]
    await pollUntil(async () => (await crLink())?.copyMessageId != null, { message: 'the CR copy recorded' })
    const inCr = await crLink()
    expect(await setCopyVariant(h.app.deps, project(), inCr!.id, { text: 'Hello (translated)' })).toBe('edited')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.text === 'Hello (translated)' && m.edited)
    h.sim.sendGroup(h.world.people.alice.id, cs(), { text: '/reassign south now' }, { threadId: zoe.cs })
    const south = h.world.groups.south.id
    const topic = await h.sim.waitFor(() => h.sim.topics(south).find((t) => t.name.startsWith('Zoe Quinn')))
    await waitForTopicMessage(h, south, topic.message_thread_id, (m) => /^↩ Zoe Quinn · .* UTC\nHello \(translated\)$/.test(m.text ?? ''))
  })
})
