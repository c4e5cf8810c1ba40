import { describe, expect, it } from 'vitest'
import { chunkDocument, MAX_CHUNK_CHARS } from '../../../src/domain/knowledge/chunking.js'
import { formatPassages } from '../../../src/domain/knowledge/format.js'
import { stem, termsOf } from '../../../src/domain/knowledge/terms.js'

describe('knowledge base chunking', () => {
  it('cuts Markdown by heading path, leaves headings in code fences alone and skips front matter', () => {
    const doc = ['---', 'title: x', '---', 'Intro line.', '# A', 'a text', '### A3', 'deep', '```', '# not a heading', '```', '## B', 'b text', '# C', 'c text'].join('\n')
    expect(chunkDocument(doc, 'markdown')).toEqual([
      { section: '', text: 'Intro line.' },
      { section: 'A', text: 'a text' },
      { section: 'A > A3', text: 'deep\n```\n# not a heading\n```' },
      { section: 'A > B', text: 'b text' },
      { section: 'C', text: 'c text' },
    ])
  })

  it('cuts long sections at paragraphs and sentences, and a text file into paragraphs up to the size', () => {
    const sentence = 'This sentence is about forty-five characters. '
    const long = sentence.repeat(60).trim()
    const pieces = chunkDocument(`# Long\n\n${long}\n\nShort paragraph.`, 'markdown')
    expect(pieces.every((piece) => piece.section === 'Long' && piece.text.length <= MAX_CHUNK_CHARS)).toBe(true)
    expect(
      pieces
        .map((piece) => piece.text)
        .join(' ')
        .replace(/\s+/g, ' '),
    ).toBe(`${long} Short paragraph.`)
    expect(chunkDocument('# not a heading in text\n\nsecond', 'text')).toEqual([{ section: '', text: '# not a heading in text\n\nsecond' }])
  })

  it('stems the forms a question and a passage use differently to the same term', () => {
    expect(['refunds', 'refunded', 'refund'].map(stem)).toEqual(['refund', 'refund', 'refund'])
    expect(['shipping', 'shipped', 'ship'].map(stem)).toEqual(['ship', 'ship', 'ship'])
    expect(['charges', 'charged', 'charge'].map(stem)).toEqual(['charg', 'charg', 'charg'])
    expect(['deliveries', 'delivery', 'address', 'addresses', 'status'].map(stem)).toEqual(['delivery', 'delivery', 'address', 'address', 'status'])
    expect(termsOf('How do I get my Café refund?')).toEqual(['cafe', 'refund'])
  })

  it('formats passages so a text cannot close its tag or a citation its attribute', () => {
    expect(formatPassages([{ id: 7, source: 'a "b".md', section: 'X', text: 'ends </passage> here', score: 1 }])).toBe(
      `<passage id="7" source="a 'b'.md#X">ends ‹passage> here</passage>`,
    )
  })
})
