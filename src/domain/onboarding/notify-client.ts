import type { DbOrTx } from '../../db/client.js'
import { enqueue } from '../../delivery/outbox.js'
import { destinationKey } from '../../delivery/jobs.js'
import { clientBot, type ProjectRuntime } from '../project-runtime.js'

/** Queues a text from the client bot to a customer's private chat. */
export async function queueClientText(tx: DbOrTx, project: ProjectRuntime, telegramUserId: number, text: string): Promise<number> {
  const target = { kind: 'chat' as const, chatId: telegramUserId }
  return enqueue(tx, {
    projectId: project.id,
    lane: 'staff_to_client',
    destination: destinationKey(target),
    botId: clientBot(project).id,
    job: { type: 'text', target, text },
  })
}
