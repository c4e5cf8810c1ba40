import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kbChunks, projects } from '../../../src/db/schema/index.js'
import { citationOf, formatPassages, retrieve, syncKnowledge } from '../../../src/domain/knowledge/index.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

let database: TestDatabase
let projectId: number
let folder: string

beforeAll(async () => {
  database = await createTestDatabase()
  const [created] = await database.db.insert(projects).values({ key: 'acme', name: 'Acme' })
  projectId = created.insertId
  folder = mkdtempSync(join(tmpdir(), 'kb-sync-'))
  cpSync('test/fixtures/kb/acme', folder, { recursive: true })
})
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true })
  await database.close()
})

const chunks = () => database.db.select().from(kbChunks).where(eq(kbChunks.projectId, projectId)).orderBy(kbChunks.id)

describe('knowledge base sync', () => {
  it('is idempotent: a second sync of the same folder changes nothing', async () => {
    const first = await syncKnowledge(database.db, projectId, folder)
    const before = await chunks()
    const second = await syncKnowledge(database.db, projectId, folder)
    expect(second).toMatchObject({ inserted: 0, deleted: 0, unchanged: first.inserted, broken: [] })
    expect((await chunks()).map((row) => [row.id, row.hash, row.updatedAt.getTime()])).toEqual(before.map((row) => [row.id, row.hash, row.updatedAt.getTime()]))
  })

  it('inserts a changed section, deletes the old one and a removed file, keeps the rest and adds a new file', async () => {
    const before = await chunks()
    const shippingRows = before.filter((row) => row.source === 'shipping.md').length
    writeFileSync(join(folder, 'orders.md'), readOrders().replace('valid for two years', 'valid for three years'))
    unlinkSync(join(folder, 'contact.txt'))
    writeFileSync(join(folder, 'loyalty.md'), '# Loyalty\n\n## Points\n\nEvery euro spent earns one Acme point; 100 points give a €5 voucher.\n')
    const report = await syncKnowledge(database.db, projectId, folder)
    expect(report).toMatchObject({ inserted: 2, deleted: 1 + before.filter((row) => row.source === 'contact.txt').length, broken: [] })
    const after = await chunks()
    expect(after.filter((row) => row.source === 'contact.txt')).toEqual([])
    expect(after.filter((row) => row.source === 'shipping.md')).toHaveLength(shippingRows)
    const [giftCards] = await retrieve(database.db, projectId, 'how long is a gift card valid', { limit: 1 })
    expect(giftCards).toMatchObject({ source: 'orders.md', section: 'Orders > Gift cards' })
    expect(giftCards!.text).toContain('three years')
    const [points] = await retrieve(database.db, projectId, 'how many points for a voucher?', { limit: 1 })
    expect(citationOf(points!)).toBe('loyalty.md#Loyalty > Points')
    expect(formatPassages([points!])).toBe(
      `<passage id="${points!.id}" source="loyalty.md#Loyalty > Points">Every euro spent earns one Acme point; 100 points give a €5 voucher.</passage>`,
    )
  })

  it('refuses a broken file with its path, keeps its earlier passages and syncs the other files', async () => {
    const ordersRows = (await chunks()).filter((row) => row.source === 'orders.md')
    writeFileSync(join(folder, 'orders.md'), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a, 0x41]))
    writeFileSync(join(folder, 'loyalty.md'), '# Loyalty\n\n## Points\n\nEvery euro spent earns two Acme points.\n')
    const report = await syncKnowledge(database.db, projectId, folder)
    expect(report.broken).toEqual([{ source: 'orders.md', reason: 'not UTF-8 text' }])
    expect(report).toMatchObject({ inserted: 1, deleted: 1 })
    expect((await chunks()).filter((row) => row.source === 'orders.md')).toEqual(ordersRows)
  })
})

describe('a knowledge base of one passage', () => {
  it('still finds it (its terms are in every passage: an IDF of 0) and keeps each project to its own', async () => {
    const [other] = await database.db.insert(projects).values({ key: 'tiny', name: 'Tiny' })
    const tiny = mkdtempSync(join(tmpdir(), 'kb-tiny-'))
    writeFileSync(join(tiny, 'one.md'), '# One\n\nRefunds take five working days.\n')
    await syncKnowledge(database.db, other.insertId, tiny)
    rmSync(tiny, { recursive: true, force: true })
    expect(await retrieve(database.db, other.insertId, 'how long do refunds take?')).toMatchObject([{ source: 'one.md', section: 'One', score: 0.667 }])
    expect((await retrieve(database.db, projectId, 'refunds take working days')).every((passage) => passage.source !== 'one.md')).toBe(true)
  })
})

describe('knowledge base embeddings at sync', () => {
  /** A stand-in embedding model: one dimension per letter a–z. */
  const letters = (texts: string[]) => texts.map((text) => [...'abcdefghijklmnopqrstuvwxyz'].map((letter) => text.toLowerCase().split(letter).length - 1))

  it('embeds the passages without an embedding of the model, again after a model change, and stops at a failing call', async () => {
    const calls: number[] = []
    const embedder = (model: string) => ({ model, embed: (texts: string[]) => (calls.push(texts.length), Promise.resolve(letters(texts))) })
    const total = (await chunks()).length
    expect((await syncKnowledge(database.db, projectId, folder, { embedder: embedder('letters-1') })).embedded).toBe(total)
    expect(calls.every((n) => n <= 32)).toBe(true)
    expect((await syncKnowledge(database.db, projectId, folder, { embedder: embedder('letters-1') })).embedded).toBe(0)
    expect((await chunks()).every((row) => row.embeddingModel === 'letters-1' && (JSON.parse(row.embedding!) as number[]).length === 26)).toBe(true)
    const failing = { model: 'letters-2', embed: () => Promise.reject(new Error('the assistant is unavailable (timeout)')) }
    expect(await syncKnowledge(database.db, projectId, folder, { embedder: failing })).toMatchObject({ embedded: 0, embeddingFailed: 'the assistant is unavailable (timeout)' })
    expect((await syncKnowledge(database.db, projectId, folder, { embedder: embedder('letters-2') })).embedded).toBe(total)
    // Without an embedding model (the provider answers undefined), nothing is stored and nothing fails.
    expect(await syncKnowledge(database.db, projectId, folder, { embedder: { model: 'none', embed: () => Promise.resolve(undefined) } })).toMatchObject({ embedded: 0 })
    expect((await chunks()).every((row) => row.embeddingModel === 'letters-2')).toBe(true)
  })
})

function readOrders(): string {
  return readFileSync('test/fixtures/kb/acme/orders.md', 'utf8')
}
