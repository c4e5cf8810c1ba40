import type { DbOrTx } from '../../db/client.js'
import { enqueueTo } from '../enqueue-to.js'
import type { ProjectRuntime } from '../project-runtime.js'

/** Queues a text from the client bot to a customer's private chat. */
export async function queueClientText(tx: DbOrTx, project: ProjectRuntime, telegramUserId: number, text: string): Promise<number> {
  return enqueueTo(tx, project, { kind: 'client', chatId: telegramUserId }, { type: 'text', target: { kind: 'chat', chatId: telegramUserId }, text })
}
