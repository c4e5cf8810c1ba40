import { z } from 'zod'
import { buttonId, defineButtonFamily } from './family.js'

/**
 * The `/failed` listing's retry buttons, pressed by CS leads on the listing that carries them:
 * `dl:<outboxId>` queues a dead outbox row again, `du:<botId>:<updateId>` hands a parked update
 * back to its bot. Both act within the pressing bot's project only.
 */
export type DeadLetterRetry = { outboxId: number }
export type FailedUpdateRetry = { botId: number; updateId: number }

export const deadLetterRetryButtons = defineButtonFamily<DeadLetterRetry>({
  prefix: 'dl',
  schema: z.tuple([buttonId]).transform(([outboxId]) => ({ outboxId })),
  parts: (retry) => [retry.outboxId],
})

export const failedUpdateRetryButtons = defineButtonFamily<FailedUpdateRetry>({
  prefix: 'du',
  schema: z.tuple([buttonId, buttonId]).transform(([botId, updateId]) => ({ botId, updateId })),
  parts: (retry) => [retry.botId, retry.updateId],
})
