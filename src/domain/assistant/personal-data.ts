import { eq } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { assistantSuggestions } from '../../db/schema/index.js'

/** `customer export`: the replies suggested in their conversation, with their sources and fates. */
export async function customerSuggestions(db: DbOrTx, projectId: number, customerId: number) {
  return db
    .select({
      id: assistantSuggestions.id,
      text: assistantSuggestions.text,
      sources: assistantSuggestions.sources,
      state: assistantSuggestions.state,
      decidedBy: assistantSuggestions.decidedBy,
      createdAt: assistantSuggestions.createdAt,
    })
    .from(assistantSuggestions)
    .where(inProject(assistantSuggestions, projectId, eq(assistantSuggestions.customerId, customerId)))
    .orderBy(assistantSuggestions.id)
}

/** `forget`: the suggested texts (drawn from their words) are erased; the fates stay, anonymous, for `/stats`. */
export async function eraseCustomerSuggestions(tx: DbOrTx, projectId: number, customerId: number): Promise<number> {
  const [result] = await tx
    .update(assistantSuggestions)
    .set({ text: '', sources: '[]' })
    .where(inProject(assistantSuggestions, projectId, eq(assistantSuggestions.customerId, customerId)))
  return result.affectedRows
}
