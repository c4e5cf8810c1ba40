import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { knowledgeEmbedder, passagesFor } from '../../../src/assistant/knowledge.js'
import { createOpenAIProvider } from '../../../src/assistant/openai-provider.js'
import type { AssistantProvider } from '../../../src/assistant/provider.js'
import { createConfig } from '../../../src/config/index.js'
import { kbChunks, projects } from '../../../src/db/schema/index.js'
import { systemClock } from '../../../src/domain/clock.js'
import { startFakeOpenAI, type FakeOpenAI } from '../../../src/simulator/openai/index.js'
import { assistantConfig } from '../../support/assistant.js'
import { citationOf, isConfident, retrieve, syncKnowledge, DEFAULT_CONFIDENCE, type Passage } from '../../../src/domain/knowledge/index.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

/** The retrieval fixture (issue 19, "Done when"): a support knowledge base and questions written by hand with the passage that answers them. */
const FOLDER = 'test/fixtures/kb/acme'
const fixture = JSON.parse(readFileSync('test/fixtures/kb/acme-questions.json', 'utf8')) as { questions: { question: string; expected: string }[]; offTopic: string[] }

let database: TestDatabase
let projectId: number
let fake: FakeOpenAI
let provider: AssistantProvider
/** The project's merged assistant: the fake provider with its embedding model (hashed bag of words). */
let settings: NonNullable<ReturnType<typeof createConfig>['projects'][number]['assistant']>

beforeAll(async () => {
  database = await createTestDatabase()
  const [created] = await database.db.insert(projects).values({ key: 'acme', name: 'Acme' })
  projectId = created.insertId
  fake = await startFakeOpenAI()
  const project = { key: 'acme', name: 'Acme', bots: { client: '1:a', cs: '2:b', cr: '3:c' }, groups: { cs: { chatId: -1 }, cr: [{ key: 'north', title: 'North', chatId: -2 }] } }
  settings = createConfig({ database: { url: 'mysql://ignored@h/db' }, assistant: assistantConfig(fake), projects: [project] }).projects[0]!.assistant!
  provider = createOpenAIProvider({ id: projectId, key: 'acme' }, settings, { db: database.db, clock: systemClock })
})
afterAll(async () => {
  await fake.close()
  await database.close()
})

/** How many of the fixture's questions find their passage among the first three (hybrid: the question embedded by the fake provider). */
async function rightInTopThree(ranking: 'fulltext' | 'hybrid' = 'fulltext'): Promise<{ hits: number; misses: string[]; top: Passage[][] }> {
  const misses: string[] = []
  const top: Passage[][] = []
  for (const { question, expected } of fixture.questions) {
    const passages =
      ranking === 'hybrid'
        ? await passagesFor(database.db, provider, { id: projectId, config: { assistant: settings } }, question, 3)
        : await retrieve(database.db, projectId, question, { limit: 3 })
    top.push(passages)
    if (!passages.some((passage) => citationOf(passage) === expected)) misses.push(`${question} → ${passages.map(citationOf).join(' | ')}`)
  }
  return { hits: fixture.questions.length - misses.length, misses, top }
}

describe('knowledge base retrieval fixture', () => {
  it('syncs at least 30 passages with their citations', async () => {
    const report = await syncKnowledge(database.db, projectId, FOLDER)
    expect(report.broken).toEqual([])
    expect(report.inserted).toBeGreaterThanOrEqual(30)
    expect(fixture.questions).toHaveLength(10)
  })

  it('FULLTEXT alone puts the right passage in the top 3 for at least 8 of the 10 questions', async () => {
    const { hits, misses } = await rightInTopThree()
    expect(misses.length, misses.join('\n')).toBeLessThanOrEqual(2)
    expect(hits).toBeGreaterThanOrEqual(8)
  })

  it("hybrid (FULLTEXT and the fake provider's embeddings, fused by rank) puts the right passage in the top 3 for at least 8 of the 10", async () => {
    const report = await syncKnowledge(database.db, projectId, FOLDER, { embedder: knowledgeEmbedder(provider, settings)! })
    expect(report).toMatchObject({ inserted: 0, deleted: 0, embedded: report.unchanged })
    expect((await database.db.select().from(kbChunks)).every((row) => row.embeddingModel === fake.embeddingModel)).toBe(true)
    const before = fake.requests.length
    const { hits, misses } = await rightInTopThree('hybrid')
    // Each question was embedded by the provider: the ranking really was hybrid.
    expect(fake.requests.slice(before).filter((request) => request.path === '/v1/embeddings')).toHaveLength(fixture.questions.length)
    expect(misses.length, misses.join('\n')).toBeLessThanOrEqual(2)
    expect(hits).toBeGreaterThanOrEqual(8)
  })

  it('the confidence threshold separates the right passages from off-topic questions', async () => {
    const { top } = await rightInTopThree()
    const right = fixture.questions.map(({ expected }, i) => top[i]!.find((passage) => citationOf(passage) === expected)?.score ?? 0)
    const offTopic = await Promise.all(fixture.offTopic.map((question) => retrieve(database.db, projectId, question, { limit: 3 })))
    // The figures the README's calibration quotes.
    console.info('right passages:', right.join(' '), '| off-topic best:', offTopic.map((passages) => passages[0]?.score ?? 0).join(' '))
    expect(right.filter((score) => score >= DEFAULT_CONFIDENCE).length).toBeGreaterThanOrEqual(8)
    for (const passages of offTopic) expect(isConfident({}, passages)).toBe(false)
  })
})
