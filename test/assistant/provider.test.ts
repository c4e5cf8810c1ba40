import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ASSISTANT_MODE_DEFAULTS } from '../../src/config/assistant-modes.js'
import { createOpenAIProvider } from '../../src/assistant/openai-provider.js'
import { AssistantUnavailable, type AssistantProvider } from '../../src/assistant/provider.js'
import { tokensSpent, usageDay } from '../../src/assistant/token-ledger.js'
import type { AssistantSettings } from '../../src/config/assistant.js'
import { startFakeOpenAI, type FakeOpenAI, type Flavour } from '../../src/simulator/openai/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

const clock = { now: () => new Date() }
let database: TestDatabase
let nextProject = 1
const fakes: FakeOpenAI[] = []

beforeAll(async () => {
  database = await createTestDatabase()
})
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})
afterAll(async () => {
  await database.close()
})

async function fake(flavour: Flavour, options: { embeddingServer?: boolean; apiKey?: string } = {}) {
  const started = await startFakeOpenAI({ flavour, ...options })
  fakes.push(started)
  return started
}

/** A provider for a fresh project id (its own token count). */
function providerOn(settings: Partial<AssistantSettings> & { baseUrl: string; model: string }, observe?: (outcome: string) => void) {
  const project = { id: nextProject++, key: 'p' }
  const provider = createOpenAIProvider(
    project,
    { ...ASSISTANT_MODE_DEFAULTS, timeoutSeconds: 10, maxTokensPerDay: 100_000, ...settings },
    {
      db: database.db,
      clock,
      observer: { assistantCall: (call) => observe?.(call.outcome) },
    },
  )
  return { provider, project }
}

const question = {
  purpose: 'suggest' as const,
  messages: [
    {
      role: 'system' as const,
      content:
        'Answer from the passages.\n<passage id="1" source="faq.md#refunds">Refunds take five days. Ask support.</passage>\n<passage id="2" source="faq.md#hours">We open at nine.</passage>',
    },
    { role: 'user' as const, content: 'How long do refunds take?' },
  ],
}

async function roundTrip(provider: AssistantProvider) {
  const plain = await provider.chat(question)
  const seen: string[] = []
  const streamed = await provider.stream(question, (soFar) => void seen.push(soFar))
  const vectors = await provider.embed(['refunds take days', 'refunds take five days'])
  return { plain, streamed, seen, vectors }
}

describe('the provider against each flavour of the fake', () => {
  it.each(['openai', 'ollama'] as const)('%s: chat, stream and embeddings on one server', async (flavour) => {
    process.env.TEST_ASSISTANT_KEY = 'sk-test'
    const server = await fake(flavour, { apiKey: 'sk-test' })
    const { provider, project } = providerOn({ baseUrl: server.url, model: server.model, apiKeyEnv: 'TEST_ASSISTANT_KEY', embedding: { model: server.embeddingModel! } })
    const { plain, streamed, seen, vectors } = await roundTrip(provider)
    expect(plain.text).toBe('Refunds take five days. [1]')
    expect(streamed.text).toBe(plain.text)
    expect(seen.length).toBeGreaterThan(1)
    expect(seen.at(-1)).toBe(plain.text)
    expect(plain.tokens).toBeGreaterThan(0)
    expect(streamed.tokens).toBe(plain.tokens)
    expect(vectors).toHaveLength(2)
    expect(vectors![0]).toHaveLength(256)
    // The streaming request asked for the usage, and the key went along.
    expect(server.chatRequests()[1]!.body?.stream_options).toEqual({ include_usage: true })
    expect(server.requests[0]!.authorization).toBe('Bearer sk-test')
    expect(await tokensSpent(database.db, project.id, usageDay(new Date()))).toBeGreaterThanOrEqual(plain.tokens * 2)
  })

  it.each(['llamacpp', 'vllm'] as const)('%s: one model per process, embeddings from a second server', async (flavour) => {
    const chatServer = await fake(flavour)
    const embedServer = await fake(flavour, { embeddingServer: true })
    // Each refuses the other's endpoint, as the real servers do.
    const chatOnly = providerOn({ baseUrl: chatServer.url, model: chatServer.model, embedding: { model: chatServer.model } })
    await expect(chatOnly.provider.embed(['x'])).rejects.toMatchObject({ reason: 'failed' })
    const { provider } = providerOn({ baseUrl: chatServer.url, model: chatServer.model, embedding: { baseUrl: embedServer.url, model: embedServer.model } })
    const { plain, streamed, vectors } = await roundTrip(provider)
    expect(plain.text).toBe('Refunds take five days. [1]')
    expect(streamed.text).toBe(plain.text)
    expect(vectors).toHaveLength(2)
    expect(embedServer.requests.at(-1)!.path).toBe('/v1/embeddings')
    expect(chatServer.requests.at(-1)!.path).toBe('/v1/chat/completions')
  })

  it('sends the chat key to the chat host only: an embedding server elsewhere gets its own key, or none', async () => {
    process.env.TEST_ASSISTANT_KEY = 'sk-chat'
    process.env.TEST_EMBEDDING_KEY = 'sk-embed'
    const chatServer = await fake('llamacpp', { apiKey: 'sk-chat' })
    const embedServer = await fake('llamacpp', { embeddingServer: true })
    const settings = { baseUrl: chatServer.url, model: chatServer.model, apiKeyEnv: 'TEST_ASSISTANT_KEY' }
    await providerOn({ ...settings, embedding: { baseUrl: embedServer.url, model: embedServer.model } }).provider.embed(['x'])
    expect(embedServer.requests.at(-1)!.authorization ?? '').not.toContain('sk-chat')
    await providerOn({ ...settings, embedding: { baseUrl: embedServer.url, model: embedServer.model, apiKeyEnv: 'TEST_EMBEDDING_KEY' } }).provider.embed(['x'])
    expect(embedServer.requests.at(-1)!.authorization).toBe('Bearer sk-embed')
  })

  it("a stream whose own callback fails is no provider failure: the callback's error, no 'failed' call counted", async () => {
    const server = await fake('openai')
    const outcomes: string[] = []
    const { provider } = providerOn({ baseUrl: server.url, model: server.model }, (o) => outcomes.push(o))
    const ours = new Error('the draft could not be sent')
    await expect(
      provider.stream(question, () => {
        throw ours
      }),
    ).rejects.toBe(ours)
    expect(outcomes).not.toContain('failed')
  })

  it('no embedding model: embed() says undefined without a call', async () => {
    const server = await fake('ollama')
    const { provider } = providerOn({ baseUrl: server.url, model: server.model })
    expect(await provider.embed(['x'])).toBeUndefined()
    expect(server.requests).toHaveLength(0)
  })
})

describe('a provider that fails costs the call only', () => {
  it('a slow provider: timeout after timeoutSeconds', async () => {
    const server = await fake('openai')
    server.delay(5_000)
    const outcomes: string[] = []
    const { provider } = providerOn({ baseUrl: server.url, model: server.model, apiKeyEnv: undefined, timeoutSeconds: 1 }, (o) => outcomes.push(o))
    const started = Date.now()
    const error = await provider.chat(question).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AssistantUnavailable)
    expect((error as AssistantUnavailable).reason).toBe('timeout')
    expect(Date.now() - started).toBeLessThan(4_000)
    expect(outcomes).toEqual(['timeout'])
  })

  it('429 with retry-after, then an answer: the client waited and retried', async () => {
    const server = await fake('vllm')
    server.rateLimit(1, 1)
    const { provider } = providerOn({ baseUrl: server.url, model: server.model })
    const started = Date.now()
    expect((await provider.chat(question)).text).toBe('Refunds take five days. [1]')
    expect(server.chatRequests()).toHaveLength(2)
    expect(server.chatRequests()[1]!.at - server.chatRequests()[0]!.at).toBeGreaterThanOrEqual(900)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  it('429 every time: rate_limited', async () => {
    const server = await fake('openai')
    server.rateLimit(3, 0)
    const { provider } = providerOn({ baseUrl: server.url, model: server.model })
    await expect(provider.chat(question)).rejects.toMatchObject({ reason: 'rate_limited' })
    expect(server.chatRequests()).toHaveLength(3)
  })

  it('5xx is retried: two failures then the answer; three failures: failed', async () => {
    const server = await fake('llamacpp')
    server.fail(503, 2)
    const { provider } = providerOn({ baseUrl: server.url, model: server.model })
    expect((await provider.chat(question)).text).toBe('Refunds take five days. [1]')
    expect(server.chatRequests()).toHaveLength(3)
    server.fail(500, 3)
    await expect(provider.stream(question, () => undefined)).rejects.toMatchObject({ reason: 'failed' })
    expect(server.chatRequests()).toHaveLength(6)
  })

  it('the daily cap: once the day has spent maxTokensPerDay, cap_reached without a call', async () => {
    const server = await fake('ollama')
    const outcomes: string[] = []
    const { provider } = providerOn({ baseUrl: server.url, model: server.model, maxTokensPerDay: 30 }, (o) => outcomes.push(o))
    const first = await provider.chat(question)
    expect(first.tokens).toBeGreaterThanOrEqual(30)
    await expect(provider.chat(question)).rejects.toMatchObject({ reason: 'cap_reached' })
    expect(server.chatRequests()).toHaveLength(1)
    expect(outcomes).toEqual(['ok', 'cap_reached'])
  })
})
