import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { assistantTokenUsage } from '../db/schema/index.js'

/** The UTC day a token count falls on (the cap is per UTC day). */
export function usageDay(now: Date): string {
  return now.toISOString().slice(0, 10)
}

/** Tokens a project spent on a day, as its provider counted them. */
export async function tokensSpent(db: Database, projectId: number, day: string): Promise<number> {
  const [row] = await db
    .select({ tokens: assistantTokenUsage.tokens })
    .from(assistantTokenUsage)
    .where(and(eq(assistantTokenUsage.projectId, projectId), eq(assistantTokenUsage.day, day)))
  return row?.tokens ?? 0
}

/** Adds a call's tokens to the project's day (one upsert). */
export async function recordTokens(db: Database, projectId: number, day: string, tokens: number): Promise<void> {
  if (tokens <= 0) return
  await db
    .insert(assistantTokenUsage)
    .values({ projectId, day, tokens })
    .onDuplicateKeyUpdate({ set: { tokens: sql`${assistantTokenUsage.tokens} + ${tokens}` } })
}
