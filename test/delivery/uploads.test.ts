import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sendContent } from '../../src/delivery/send-content.js'
import { startOutboxHarness, type OutboxHarness } from '../support/outbox-harness.js'

let h: OutboxHarness
afterEach(async () => h?.stop())

const MB = 1024 * 1024

describe('uploads', () => {
  it('gives an upload a timeout sized to its file, not the timeout of an ordinary call', async () => {
    // Ordinary calls time out after 1 s; uploads are allowed 1 MB/s on top of that.
    h = await startOutboxHarness({ pool: 2, gateway: { timeoutSeconds: 1, uploadBytesPerSecond: MB }, simulator: { latency: { uploadBytesPerSecond: 2 * MB } } })
    const [source, poster] = h.bots
    const client = h.sim.createUser({ firstName: 'Client' })
    const original = h.sim.sendPrivate(client.id, source!.id, { document: { bytes: Buffer.alloc(3 * MB, 3), fileName: 'scan.pdf' } }).document!
    const file = { fileId: original.file_id, fileUniqueId: original.file_unique_id, fileName: 'scan.pdf', fileSize: original.file_size }
    const started = Date.now()
    // 3 MB at 2 MB/s: 1.5 s, longer than an ordinary call may take.
    const sent = await sendContent({ db: h.database.db, gateway: h.gateway }, poster!.id, source!.id, { chatId: h.groups[0]!.id }, { kind: 'document', file })
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400)
    const copy = h.sim.chatMessages(h.groups[0]!.id).find((m) => m.message_id === sent.message_id)
    expect(copy?.raw.document?.file_size).toBe(3 * MB)
    expect(h.gateway.uploadTimeoutSeconds(3 * MB)).toBe(4)
  })

  it('reads a file from disk when a local Bot API server answers getFile with an absolute path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'topicdesk-local-files-'))
    try {
      h = await startOutboxHarness({ pool: 2, simulator: { localFilesDir: dir } })
      const [source, poster] = h.bots
      const client = h.sim.createUser({ firstName: 'Client' })
      const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251))
      const original = h.sim.sendPrivate(client.id, source!.id, { document: { bytes, fileName: 'scan.pdf' } }).document!
      const file = { fileId: original.file_id, fileUniqueId: original.file_unique_id, fileName: 'scan.pdf', fileSize: original.file_size }
      const sent = await sendContent({ db: h.database.db, gateway: h.gateway }, poster!.id, source!.id, { chatId: h.groups[0]!.id }, { kind: 'document', file })
      const copy = h.sim.chatMessages(h.groups[0]!.id).find((m) => m.message_id === sent.message_id)
      expect(h.sim.fileBytes(copy!.raw.document!.file_unique_id)?.equals(bytes)).toBe(true)
      // The simulator wrote the file under its directory, as the local server does on its volume.
      expect(await readdir(join(dir, String(source!.id), 'documents'))).toHaveLength(1)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
