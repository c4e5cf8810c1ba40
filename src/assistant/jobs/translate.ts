import { releaseTranslated, showTranslation, textToTranslate } from '../../domain/translation/apply.js'
import { TRANSLATE_JOB, type TranslateJob } from '../../domain/translation/jobs.js'
import { sameText } from '../../domain/translation/language.js'
import { AssistantUnavailable } from '../provider.js'
import { translateText } from '../translate-text.js'
import { defineAssistantJob } from './job.js'

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
  const outcome = await translateText(
    ctx,
    { customerId: source.customerId, text: source.text, from: job.from, to: job.to },
    job.direction === 'to_client' ? waitMs : undefined,
  ).catch((error: unknown) => {
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
  // A translation that only repeats the original ("ok", "Netflix") is not shown: no 🌐 line, sent as written.
  const unchanged = outcome !== undefined && sameText(source.text, outcome.text)
  if (job.direction === 'to_staff') {
    if (!unchanged) await showTranslation(deps, project, job, outcome?.text)
  } else await releaseTranslated(deps, project, job, outcome?.text, { unchanged, source: source.text })
  return { translated: outcome !== undefined, cached: outcome?.cached ?? false }
})
