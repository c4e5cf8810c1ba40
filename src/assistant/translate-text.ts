import { cacheTranslation, cachedTranslation, type TranslationKey } from '../domain/translation/cache.js'
import type { LanguagePair } from '../domain/translation/language.js'
import type { AssistantJobContext } from './jobs/job.js'
import { AssistantUnavailable } from './provider.js'

/**
 * A text in another language (`domain/translation`): from the cache (text hash, language pair,
 * per customer), else with the project's provider, which is sent the text and the two language
 * codes only; cached for next time. `deadlineMs` bounds the call (a held staff reply waits).
 */
export async function translateText(
  ctx: Pick<AssistantJobContext, 'deps' | 'project' | 'provider'>,
  key: TranslationKey,
  deadlineMs?: number,
): Promise<{ text: string; cached: boolean }> {
  const cached = await cachedTranslation(ctx.deps.db, { projectId: ctx.project.id }, key)
  if (cached !== undefined) return { text: cached, cached: true }
  const call = ctx.provider.chat({
    purpose: 'translate',
    messages: [
      { role: 'system', content: translationPrompt(key) },
      { role: 'user', content: key.text },
    ],
  })
  const answer = deadlineMs === undefined ? await call : await withDeadline(call, deadlineMs)
  const text = answer.text.trim()
  if (!text) throw new AssistantUnavailable('failed', 'the provider answered with no translation')
  await cacheTranslation(ctx.deps.db, { projectId: ctx.project.id }, key, text)
  return { text, cached: false }
}

/** The instructions: only the two languages (never a name, an account or the conversation). */
export function translationPrompt(pair: LanguagePair): string {
  return `You translate customer support chat messages from the language with ISO 639-1 code "${pair.from}" to the language with code "${pair.to}". Keep the meaning, tone, names, numbers, links and emoji. Answer with the translation only.`
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new AssistantUnavailable('timeout', 'the translation took too long')), ms)))
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
