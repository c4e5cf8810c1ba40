import { and, eq, isNull } from 'drizzle-orm'
import { customers } from '../../db/schema/index.js'
import { scopeOf } from '../../db/project-scope.js'
import { queueProfileCardEdits } from '../crm/profile-card.js'
import { upsertCustomer, type TelegramPerson } from '../customers.js'
import { attributeStart } from '../links/attribution.js'
import { startLinkFlow } from '../autoreply/engine.js'
import type { DomainDeps } from '../deps.js'
import { clientBot, textsOf, type ProjectRuntime } from '../project-runtime.js'
import { queueClientText } from './notify-client.js'

/** `/start [payload]` from a client: remember them (and the link that brought them) and say what happens next. */
export async function startConversation(deps: DomainDeps, project: ProjectRuntime, person: TelegramPerson, payload?: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const customer = await upsertCustomer(tx, project.id, clientBot(project).id, person)
    // A diversion link's click token attributes the customer to the link (an active customer's cards show it).
    const attributed = payload ? await attributeStart(tx, scopeOf(project), customer.id, payload, deps.clock.now()) : false
    if (attributed && customer.state === 'active') await queueProfileCardEdits(tx, project, customer.id)
    if (payload && !attributed) {
      // The first start payload wins: it records where the customer came from.
      await tx
        .update(customers)
        .set({ startPayload: payload.slice(0, 128) })
        .where(and(eq(customers.id, customer.id), isNull(customers.startPayload)))
    }
    const key = ({ awaiting_email: 'askEmail', pending_assignment: 'pendingAssignment', active: 'welcomeClient', rejected: 'rejected' } as const)[customer.state]
    const text = textsOf(project).client(customer.languageCode, key, { name: person.firstName })
    await queueClientText(tx, project, person.id, text)
    // Issue 18: the flow of the diversion link, if one starts with it.
    if (attributed) await startLinkFlow(tx, deps, project, customer, payload!)
  })
  deps.notify()
}

/** Longest start payload shown on a card, ellipsis included. */
const PAYLOAD_SHOWN_CHARS = 64

/**
 * A start payload as cards show it: one line (whitespace runs become one space, other control
 * characters are dropped) of at most 64 characters. A deep link allows only [A-Za-z0-9_-], but
 * anyone can type `/start` followed by anything.
 */
export function startPayloadLine(payload: string | null): string {
  const line = (payload ?? '')
    .replace(/[\s\u2028\u2029]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
  if (!line) return '—'
  const chars = [...line]
  return chars.length > PAYLOAD_SHOWN_CHARS ? `${chars.slice(0, PAYLOAD_SHOWN_CHARS - 1).join('')}…` : line
}
