import { cacheTranslation, cachedTranslation } from '../../domain/translation/cache.js'
import { releaseTranslated, showTranslation, textToTranslate, type TextToTranslate } from '../../domain/translation/apply.js'
import { TRANSLATE_JOB, type TranslateJob } from '../../domain/translation/jobs.js'
import type { LanguagePair } from '../../domain/translation/language.js'
import { AssistantUnavailable } from '../provider.js'
import { defineAssistantJob, type AssistantJobContext } from './job.js'

/**
 * Translates a message (`domain/translation`): from the cache (text hash, language pair, per
 * customer), else with the project's provider. The provider is sent the text and the two
 * language codes, nothing else. Any failure ends the job here (never retried): a client message
 * keeps its original, marked untranslated; a held staff reply is sent as written. A staff reply
 * waits at most `translation.waitSeconds`.
 */
export const translateJob = defineAssistantJob<TranslateJob>(TRANSLATE_JOB, async (ctx, job) => {
  const { deps, project } = ctx
  const source = await textToTranslate(deps.db, project, job)
  if (!source) return { skipped: 'moved on' }
  if (job.direction === 'to_client' && job.fallback) {
    ctx.logger.warn({ jobId: ctx.jobId, messageId: job.messageId }, 'a staff reply still waited for its translation; sent as written')
    await releaseTranslated(deps, project, job, undefined)
    return { translated: false, fallback: true }
  }
  const waitMs = (project.config.translation?.waitSeconds ?? 30) * 1000
  const outcome = await translate(ctx, source, job, job.direction === 'to_client' ? waitMs : undefined).catch((error: unknown) => {
    ctx.logger.warn(
      {
        jobId: ctx.jobId,
        messageId: job.messageId,
        reason: error instanceof AssistantUnavailable ? error.reason : 'error',
        err: error instanceof AssistantUnavailable ? undefined : error,
      },
      'translation failed; the original stays',
    )
    return undefined
  })
  if (job.direction === 'to_staff') await showTranslation(deps, project, job, outcome?.text)
  else await releaseTranslated(deps, project, job, outcome?.text)
  return { translated: outcome !== undefined, cached: outcome?.cached ?? false }
})

async function translate(ctx: AssistantJobContext, source: TextToTranslate, pair: LanguagePair, deadlineMs?: number): Promise<{ text: string; cached: boolean }> {
  const key = { customerId: source.customerId, text: source.text, from: pair.from, to: pair.to }
  const cached = await cachedTranslation(ctx.deps.db, { projectId: ctx.project.id }, key)
  if (cached !== undefined) return { text: cached, cached: true }
  const call = ctx.provider.chat({
    purpose: 'translate',
    messages: [
      { role: 'system', content: translationPrompt(pair) },
      { role: 'user', content: source.text },
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
