import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import { customers } from '../../db/schema/index.js'
import type { AssistantTrigger } from '../assistant/triggers.js'
import { findCustomer, type Customer } from '../customers.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { detectLanguage, loadDetector } from './detect.js'
import { queueTranslation } from './jobs.js'
import { baseLanguage, hasWords, translatedLanguage, translatesFor } from './language.js'

/**
 * Client → staff (the assistant trigger): a relayed client message's language is detected
 * locally; the customer's detected language is kept (staff replies and the bot's own texts use
 * it); a message not in the staff's language gets a translation job, which adds the translation
 * to its topic copies once they are out. The relay itself never waits for it.
 */
export const translationTrigger: AssistantTrigger = async (tx, _clock, project, event) => {
  if (event.kind !== 'client_message') return
  await queueClientTranslation(tx, project, event.customer, event.stored)
}

/** A client's edit (`syncVersion`): the new version is translated again (its copies were just re-rendered without the old translation). */
export async function queueEditTranslation(tx: DbOrTx, project: ProjectRuntime, original: MessageRow, text: string | null): Promise<void> {
  if (original.origin !== 'client' || !project.config.translation) return
  const customer = await findCustomer(tx, original.customerId)
  if (customer) await queueClientTranslation(tx, project, customer, { id: original.id, text, editCount: original.editCount + 1 })
}

async function queueClientTranslation(tx: DbOrTx, project: ProjectRuntime, customer: Customer, message: Pick<MessageRow, 'id' | 'text' | 'editCount'>): Promise<void> {
  const settings = project.config.translation
  const text = message.text?.trim()
  if (!settings || !text || !hasWords(text) || !translatesFor(project, customer)) return
  const language = await languageOf(tx, project, customer, text)
  if (!language || !translatedLanguage(project, language)) return
  await queueTranslation(tx, project, customer.id, { direction: 'to_staff', messageId: message.id, editCount: message.editCount, from: language, to: settings.staffLanguage })
}

/**
 * The language of a client's text: a reliable detection (remembered on the customer), else the
 * customer's known language, else an unreliable guess only where Telegram's `language_code` agrees.
 */
async function languageOf(tx: DbOrTx, project: ProjectRuntime, customer: Customer, text: string): Promise<string | undefined> {
  const settings = project.config.translation!
  await loadDetector()
  const only = settings.clientLanguages === 'auto' ? undefined : [...settings.clientLanguages, settings.staffLanguage]
  const detected = detectLanguage(text, { prior: customer.languageCode, ...(only ? { only } : {}) })
  if (detected?.reliable) {
    if (detected.language !== customer.detectedLanguage) await tx.update(customers).set({ detectedLanguage: detected.language }).where(eq(customers.id, customer.id))
    return detected.language
  }
  if (customer.detectedLanguage) return customer.detectedLanguage
  return detected && customer.languageCode && detected.language === baseLanguage(customer.languageCode) ? detected.language : undefined
}
