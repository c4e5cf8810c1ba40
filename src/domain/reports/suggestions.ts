import { count, gte, lt } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { assistantSuggestions } from '../../db/schema/index.js'
import type { Texts } from '../../texts/index.js'

/** Suggest mode's figures of a period: suggestions shown, and what became of them. */
export interface SuggestionFigures {
  shown: number
  sent: number
  edited: number
  dismissed: number
  ignored: number
}

/** The suggestions shown in [from, to) by fate (still waiting ones count as shown only). */
export async function suggestionFigures(db: DbOrTx, projectId: number, from: Date, to: Date): Promise<SuggestionFigures> {
  const rows = await db
    .select({ state: assistantSuggestions.state, n: count() })
    .from(assistantSuggestions)
    .where(inProject(assistantSuggestions, projectId, gte(assistantSuggestions.createdAt, from), lt(assistantSuggestions.createdAt, to)))
    .groupBy(assistantSuggestions.state)
  const of = (state: string) => rows.find((row) => row.state === state)?.n ?? 0
  return { shown: rows.reduce((sum, row) => sum + row.n, 0), sent: of('sent'), edited: of('edited'), dismissed: of('dismissed'), ignored: of('ignored') }
}

/** `/stats`'s line: the acceptance rate, sent as is + edited over shown; none when nothing was suggested. */
export function suggestionsLine(figures: SuggestionFigures | undefined, t: Texts): string | undefined {
  if (!figures?.shown) return undefined
  const accepted = figures.sent + figures.edited
  return t.staff('statsSuggestions', { ...figures, accepted, rate: `${Math.round((accepted / figures.shown) * 100)}%` })
}
