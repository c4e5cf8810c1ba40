import { recordAudit } from '../audit/events.js'
import { findCustomer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { staffMember, textsOf, type ProjectRuntime, type StaffGroup } from '../project-runtime.js'
import type { Customer } from '../customers.js'
import { relaySyntheticStaffMessage } from './synthetic-message.js'
import { groupsAtAssignment } from '../routing.js'
import type { StaffRole } from '../../config/index.js'

export interface ApiMessage {
  customerId: number
  staffId: number
  text: string
  /** The API key that asked, for the audit trail. */
  apiKeyId: number
}

export type ApiMessageOutcome =
  /** `held`: a relay policy holds it until `releaseHold(token)`. */
  | { ok: true; messageRowId: number; delivered: boolean; held?: { token: string; reason: string } }
  | { ok: false; reason: 'no_customer' | 'not_staff' | 'not_active' | 'no_group'; message: string }

/**
 * A message to a customer written outside Telegram (the admin API) in a staff member's name:
 * relayed like any staff message without a Telegram original (see synthetic-message), audited.
 */
export async function relayApiMessage(deps: DomainDeps, project: ProjectRuntime, input: ApiMessage): Promise<ApiMessageOutcome> {
  const member = staffMember(project, input.staffId)
  if (!member) return { ok: false, reason: 'not_staff', message: textsOf(project).staff('apiNotStaff', { userId: input.staffId, project: project.config.key }) }
  const customer = await findCustomer(deps.db, input.customerId)
  if (!customer || customer.projectId !== project.id)
    return { ok: false, reason: 'no_customer', message: textsOf(project).staff('apiNoCustomer', { customerId: input.customerId, project: project.config.key }) }
  if (customer.state !== 'active') return { ok: false, reason: 'not_active', message: textsOf(project).staff('apiNotAssigned') }
  const group = senderGroup(project, member.roles, customer)
  if (!group) return { ok: false, reason: 'no_group', message: textsOf(project).staff('apiNoGroup', { name: member.name }) }
  const outcome = await deps.db.transaction(async (tx) => {
    const relayed = (await relaySyntheticStaffMessage(tx, deps.clock, project, customer, group, member, input.text, { via: 'api' }))!
    const stored = relayed.stored
    await recordAudit(tx, project.id, {
      kind: 'api_write',
      apiKeyId: input.apiKeyId,
      actorUserId: member.id,
      customerId: customer.id,
      details: { route: 'message', messageRowId: stored.id },
      text: input.text,
    })
    if (relayed.kind === 'held') return { ok: true as const, messageRowId: stored.id, delivered: false, held: { token: relayed.token, reason: relayed.reason } }
    return { ok: true as const, messageRowId: stored.id, delivered: relayed.kind === 'relayed' && !customer.blocked }
  })
  deps.notify()
  return outcome
}

/**
 * The group whose label signs the message: of the customer's groups (each role's registry rule),
 * the first that a role of the member works in (a role's `staff`), in the member's role order.
 */
function senderGroup(project: ProjectRuntime, roles: readonly StaffRole[], customer: Customer): StaffGroup | undefined {
  const groups = groupsAtAssignment(project, { crTeam: customer.crTeam ?? '', treatment: customer.treatment })
  for (const role of roles) {
    const found = groups.find((group) => project.roles.find((definition) => definition.key === group.role)?.staff.includes(role))
    if (found) return found
  }
  return undefined
}
