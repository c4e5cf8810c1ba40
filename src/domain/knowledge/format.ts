import type { Passage } from './retrieve.js'

/** A passage's citation: `file#section` (`file` alone before a file's first heading). */
export function citationOf(passage: Pick<Passage, 'source' | 'section'>): string {
  return passage.section ? `${passage.source}#${passage.section}` : passage.source
}

/**
 * The passages as a prompt quotes them, one per line block:
 * `<passage id="N" source="file#section">text</passage>`, N being the passage's `id` (so an
 * answer's `[N]` names `passages.find((p) => p.id === N)`). Quotes in the citation and a
 * closing tag inside a text are neutralised, so a passage cannot end another.
 */
export function formatPassages(passages: readonly Passage[]): string {
  return passages
    .map((passage) => `<passage id="${passage.id}" source="${citationOf(passage).replace(/"/g, "'")}">${passage.text.replace(/<\/?passage/gi, '‹passage')}</passage>`)
    .join('\n')
}
