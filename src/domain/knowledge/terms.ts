/**
 * What the FULLTEXT index and the confidence score read of a text: its words lowercased, accents
 * folded, common English words dropped and plurals and -ing/-ed endings cut ("Refunds" and
 * "refunded" both read "refund"). InnoDB's FULLTEXT parser does no stemming and skips words
 * shorter than `innodb_ft_min_token_size` (3 on MySQL 8 and MariaDB), so the stored `terms` and
 * the question go through the same function and meet on the same stems.
 */

/** Question words and glue: InnoDB's default stopword list and the common English words around it. */
const STOPWORDS = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being below between both but by can cannot could ' +
    'did do does doing done down during each even ever every few for from further get gets got had has have having he her here hers him his how ' +
    'i if in into is it its just let me more most much must my no nor not now of off on once only or other our ours out over own please same ' +
    'shall she should so some still such than that the their theirs them then there these they this those through to too under until up upon us ' +
    'very want was we were what when where which while who whom why will with would yes yet you your yours com de en la und www'
  ).split(' '),
)

/** The words of a text, lowercased and with accents folded (letters and digits of any script). */
export function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
}

/** A light English stemmer: plurals, -ing and -ed (enough for a support knowledge base; no dictionary). */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word
  let w = word
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`
  else if (/(ss|us|is)$/.test(w)) return w
  else if (/(ches|shes|sses|xes|zes)$/.test(w)) w = w.slice(0, -2)
  else if (w.endsWith('s')) w = w.slice(0, -1)
  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3))
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2))
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1)
  return w
}

/** "shipp" → "ship", "cancell" → "cancel"; "refill" stays. */
function undouble(w: string): string {
  return /([bdgmnprt])\1$/.test(w) ? w.slice(0, -1) : w
}

/** The index terms of a text: stems of its words but stopwords, in order (repeats kept: they weigh). */
export function termsOf(text: string): string[] {
  return wordsOf(text)
    .filter((word) => !STOPWORDS.has(word))
    .map(stem)
}

/** The distinct terms InnoDB indexes (at least 3 characters). */
export function searchableTerms(text: string): Set<string> {
  return new Set(termsOf(text).filter((term) => term.length >= 3))
}
