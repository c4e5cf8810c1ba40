import { askJob } from './ask.js'
import type { AssistantJobHandler } from './job.js'
import { translateJob } from './translate.js'
import { suggestFallbackJob, suggestJob } from './suggest.js'
import { answerJob } from './answer.js'
import { summaryJob } from './summary.js'

export type { AssistantJobContext, AssistantJobHandler } from './job.js'
export { defineAssistantJob } from './job.js'

/** Every kind of assistant job: one module each (`jobs/<kind>.ts`), one line each here. */
export const ASSISTANT_JOBS: readonly AssistantJobHandler[] = [translateJob, suggestJob, suggestFallbackJob, askJob, answerJob, summaryJob]
