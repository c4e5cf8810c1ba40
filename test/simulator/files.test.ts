import { InputFile } from 'grammy'
import { describe, expect, it } from 'vitest'
import { failure, useWorld } from './helpers.js'

const w = useWorld()

describe('files', () => {
  it('gives each bot its own file_id and rejects another bot’s', async () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: '/start' })
    const photo = w.sim.sendPrivate(w.alice, w.client.id, { photo: { bytes: Buffer.from('cat picture') } }).photo?.at(-1)
    expect(photo?.file_id).toBeTruthy()
    const sent = await w.client.api.sendPhoto(w.alice, photo!.file_id)
    expect(sent.photo.at(-1)?.file_unique_id).toBe(photo?.file_unique_id)
    const error = await failure(w.cs.api.sendPhoto(w.group, photo!.file_id))
    expect(error.error_code).toBe(400)
    expect(error.description).toBe('Bad Request: wrong file identifier/HTTP URL specified')
  })

  it('downloads with getFile; a re-upload by another bot is a new file object with the same bytes', async () => {
    const bytes = Buffer.from('a scanned invoice')
    const m = w.sim.sendPrivate(w.alice, w.client.id, { document: { bytes, fileName: 'invoice.pdf', mimeType: 'application/pdf' } })
    const file = await w.client.api.getFile(m.document!.file_id)
    expect(file.file_path).toMatch(/^documents\/file_\d+\.pdf$/)
    const res = await fetch(`${w.sim.url}/file/bot${w.client.token}/${file.file_path}`)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes)
    const other = await fetch(`${w.sim.url}/file/bot${w.cs.token}/${file.file_path}`)
    expect(other.status).toBe(404)

    const copy = await w.cs.api.sendDocument(w.group, new InputFile(bytes, 'invoice.pdf'), { caption: 'from Alice' })
    // Every upload creates a new file object (telegram-facts constraint 2): same bytes, new id.
    expect(copy.document.file_unique_id).not.toBe(m.document!.file_unique_id)
    const copyFile = await w.cs.api.getFile(copy.document.file_id)
    const downloaded = await fetch(`${w.sim.url}/file/bot${w.cs.token}/${copyFile.file_path}`)
    expect(Buffer.from(await downloaded.arrayBuffer())).toEqual(bytes)
    expect(copy.document.file_id).not.toBe(m.document!.file_id)
    expect(w.sim.stats().uploads[w.cs.id]).toBe(1)
    // the uploaded file's id is now usable by that bot, and re-sending by file_id keeps the object
    const again = await w.cs.api.sendDocument(w.group, copy.document.file_id)
    expect(again.document.file_unique_id).toBe(copy.document.file_unique_id)
    expect(w.sim.stats().uploads[w.cs.id]).toBe(1)
    // the same bytes uploaded again are yet another object
    const reupload = await w.cs.api.sendDocument(w.group, new InputFile(bytes, 'invoice.pdf'))
    expect(reupload.document.file_unique_id).not.toBe(copy.document.file_unique_id)
  })

  it('keeps file_unique_id when a user re-sends a file they have, not when they upload the bytes again', () => {
    const bytes = Buffer.from('holiday photo')
    const first = w.sim.sendPrivate(w.alice, w.client.id, { photo: { bytes } }).photo!.at(-1)!
    const resent = w.sim.sendPrivate(w.alice, w.client.id, { photo: { fileUniqueId: first.file_unique_id } }).photo!.at(-1)!
    expect(resent.file_unique_id).toBe(first.file_unique_id)
    const uploaded = w.sim.sendPrivate(w.alice, w.client.id, { photo: { bytes } }).photo!.at(-1)!
    expect(uploaded.file_unique_id).not.toBe(first.file_unique_id)
    expect(w.sim.fileBytes(uploaded.file_unique_id)).toEqual(bytes)
  })

  it('refuses downloads over 20 MB', async () => {
    const m = w.sim.sendPrivate(w.alice, w.client.id, { video: { size: 25 * 1024 * 1024 } })
    const error = await failure(w.client.api.getFile(m.video!.file_id))
    expect(error.description).toBe('Bad Request: file is too big')
  })

  it('checks captions: parse mode and 1024 limit', async () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    const sent = await w.client.api.sendPhoto(w.alice, new InputFile(Buffer.from('x1')), { caption: '<b>bold</b> note', parse_mode: 'HTML' })
    expect(sent.caption).toBe('bold note')
    expect(sent.caption_entities).toEqual([{ type: 'bold', offset: 0, length: 4 }])
    const error = await failure(w.client.api.sendPhoto(w.alice, sent.photo[0]!.file_id, { caption: 'x'.repeat(1025) }))
    expect(error.description).toBe('Bad Request: message caption is too long')
  })
})
