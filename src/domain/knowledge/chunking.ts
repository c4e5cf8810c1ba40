/** One passage cut from a knowledge-base file. */
export interface Chunk {
  /** The heading path, "Shipping > International" ("" before the first heading of a file). */
  section: string
  text: string
}

/** A chunk longer than this is cut at paragraphs (then sentences): passages stay short enough to quote in a prompt. */
export const MAX_CHUNK_CHARS = 1200

/**
 * Cuts a Markdown or plain-text file into passages: one per section (the text under a heading,
 * its subsections apart), each cut further at blank lines and sentences when longer than
 * MAX_CHUNK_CHARS. Headings inside code fences are text; YAML front matter is skipped; a text
 * file has no headings, so its passages are its paragraphs, grouped up to the size.
 */
export function chunkDocument(content: string, kind: 'markdown' | 'text'): Chunk[] {
  const lines = content
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
  if (kind === 'markdown' && lines[0]?.trim() === '---') {
    const end = lines.indexOf('---', 1)
    if (end > 0) lines.splice(0, end + 1)
  }
  const sections: { path: string[]; body: string[] }[] = [{ path: [], body: [] }]
  // The open headings by depth (a "###" under a "#" leaves depth 2 empty).
  let heads: string[] = []
  let fence: string | undefined
  for (const line of lines) {
    const fenceMark = /^\s*(```|~~~)/.exec(line)?.[1]
    if (fenceMark && (fence === undefined || fence === fenceMark)) fence = fence === undefined ? fenceMark : undefined
    const heading = kind === 'markdown' && fence === undefined ? /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line) : null
    if (heading) {
      const depth = heading[1]!.length
      heads = heads.slice(0, depth - 1)
      heads[depth - 1] = heading[2]!
      sections.push({ path: heads.filter((head) => head !== ''), body: [] })
      continue
    }
    sections.at(-1)!.body.push(line)
  }
  return sections.flatMap(({ path, body }) => splitBySize(body.join('\n')).map((text) => ({ section: path.join(' > '), text })))
}

/** The body cut into pieces of at most MAX_CHUNK_CHARS, at paragraphs, then sentences, then words. */
function splitBySize(body: string): string[] {
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .flatMap((p) => (p.length <= MAX_CHUNK_CHARS ? [p] : splitLong(p)))
  const pieces: string[] = []
  for (const paragraph of paragraphs) {
    const last = pieces.at(-1)
    if (last !== undefined && last.length + 2 + paragraph.length <= MAX_CHUNK_CHARS) pieces[pieces.length - 1] = `${last}\n\n${paragraph}`
    else pieces.push(paragraph)
  }
  return pieces
}

function splitLong(paragraph: string): string[] {
  const sentences = paragraph.match(/[^.!?]+(?:[.!?]+\s*|$)/g) ?? [paragraph]
  const pieces: string[] = []
  for (const sentence of sentences.flatMap((s) => (s.length <= MAX_CHUNK_CHARS ? [s] : (s.match(new RegExp(`.{1,${MAX_CHUNK_CHARS}}(\\s|$)`, 'gs')) ?? [s])))) {
    const last = pieces.at(-1)
    if (last !== undefined && last.length + sentence.length <= MAX_CHUNK_CHARS) pieces[pieces.length - 1] = last + sentence
    else pieces.push(sentence)
  }
  return pieces.map((p) => p.trim()).filter((p) => p !== '')
}
