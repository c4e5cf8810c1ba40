import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projects } from '../../../src/db/schema/index.js'
import { citationOf, isConfident, retrieve, syncKnowledge, DEFAULT_CONFIDENCE, type Passage } from '../../../src/domain/knowledge/index.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

/** The retrieval fixture (issue 19, "Done when"): a support knowledge base and questions written by hand with the passage that answers them. */
const FOLDER = 'test/fixtures/kb/acme'
const fixture = JSON.parse(readFileSync('test/fixtures/kb/acme-questions.json', 'utf8')) as { questions: { question: string; expected: string }[]; offTopic: string[] }

let database: TestDatabase
let projectId: number

beforeAll(async () => {
  database = await createTestDatabase()
  const [created] = await database.db.insert(projects).values({ key: 'acme', name: 'Acme' })
  projectId = created.insertId
})
afterAll(() => database.close())

/** How many of the fixture's questions find their passage among the first three. */
async function rightInTopThree(embeddingOf?: (text: string) => number[]): Promise<{ hits: number; misses: string[]; top: Passage[][] }> {
  const misses: string[] = []
  const top: Passage[][] = []
  for (const { question, expected } of fixture.questions) {
    const passages = await retrieve(database.db, projectId, question, { limit: 3, ...(embeddingOf ? { embedding: embeddingOf(question) } : {}) })
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
