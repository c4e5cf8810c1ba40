/** One part of a multipart/form-data body. */
export interface FormPart {
  name: string
  fileName?: string
  mimeType?: string
  data: Buffer
}

/**
 * A small multipart/form-data parser. undici's Response#formData() rejects grammY's bodies
 * (unquoted filename=...), so the simulator reads parts itself.
 */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  const value = boundary?.[1] ?? boundary?.[2]
  if (!value) throw new Error('multipart boundary is missing')
  const delimiter = Buffer.from(`--${value.trim()}`)
  const parts: FormPart[] = []
  let start = body.indexOf(delimiter)
  if (start < 0) throw new Error('multipart body has no parts')
  for (;;) {
    start += delimiter.length
    if (body.subarray(start, start + 2).toString() === '--') break
    const next = body.indexOf(delimiter, start)
    if (next < 0) break
    const chunk = body.subarray(start, next)
    const headerEnd = chunk.indexOf('\r\n\r\n')
    if (headerEnd >= 0) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8')
      let data = chunk.subarray(headerEnd + 4)
      if (data.subarray(-2).toString() === '\r\n') data = data.subarray(0, -2)
      const name = /[;:]\s*name="([^"]*)"/i.exec(headers)?.[1]
      const quoted = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers)
      const fileName = quoted ? (quoted[1] ?? quoted[2] ?? '').trim() : undefined
      const mimeType = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim()
      if (name !== undefined) parts.push({ name, data, ...(fileName !== undefined ? { fileName } : {}), ...(mimeType ? { mimeType } : {}) })
    }
    start = next
  }
  return parts
}
