import type { DbOrTx } from '../../db/client.js'
import { queueAssistantJob } from '../assistant/jobs.js'
import type { ProjectRuntime } from '../project-runtime.js'
import type { LanguagePair } from './language.js'

/** The assistant job kind that translates (`src/assistant/jobs/translate.ts`). */
export const TRANSLATE_JOB = 'translate'

/**
 * A translation to make. `to_staff`: a client message (this version of it) gains the
 * translation under the original in its topic copies. `to_client`: a staff message held by the
 * translation policy is released with the client's copy translated.
 */
export type TranslateJob =
  | ({ direction: 'to_staff'; messageId: number; editCount: number } & LanguagePair)
  /**
   * `fallback`: queued for later with the first; sends a reply still held then as written (the first job was given up).
   * `editCount`: the message's when queued (a held message edited since is translated again).
   */
  | ({ direction: 'to_client'; messageId: number; token: string; editCount?: number; fallback?: true } & LanguagePair)

/** Queues a translation inside the relay's transaction (the assistant worker runs it after the commit); `forget` finds it by the customer. */
export async function queueTranslation(tx: DbOrTx, project: Pick<ProjectRuntime, 'id'>, customerId: number, job: TranslateJob, dueAt?: Date): Promise<void> {
  await queueAssistantJob(tx, project, { kind: TRANSLATE_JOB, customerId, payload: job, ...(dueAt ? { dueAt } : {}) })
}
