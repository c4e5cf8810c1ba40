import type { StaffRole } from '../config/index.js'
import { staffMember, textsOf, type ProjectRuntime, type StaffGroup } from './project-runtime.js'
import { roleDefinition } from './roles.js'

/** Decisions staff take with buttons and commands, each allowed to the roles the README names. */
export type StaffAction =
  | 'assign_customer'
  | 'reassign_customer'
  | 'open_treatment'
  | 'ban_client'
  | 'unban_client'
  | 'delete_any_message'
  | 'see_failed'
  | 'retry_delivery'
  | 'retry_update'
  | 'tag_customer'
  | 'note_customer'
  | 'find_customers'
  | 'manage_canned'
  | 'see_canned'
  | 'send_canned'
  | 'see_queue'
  | 'assign_owner'
  | 'resolve_conversation'
  | 'transfer_customer'
  | 'set_presence'
  | 'see_presence'
  | 'see_audit'
  | 'see_stats'
  | 'manage_links'
  | 'manage_risk_phrases'
  | 'see_risk_phrases'
  | 'broadcast'
  | 'manage_knowledge'

/** `owner`: the customer's owner (`customers.owner_user_id`) may too, while on the roster. */
/** Each action's refusal is the text `refusal_<action>`. */
const RULES: Record<StaffAction, { roles: readonly StaffRole[]; owner?: true }> = {
  // The onboarding card: a team, + Treatment, Reject.
  assign_customer: { roles: ['cs_lead'] },
  // The reassignment buttons and /reassign.
  reassign_customer: { roles: ['cs_lead'] },
  // The /treatment confirmation (open or cancel) and /treatment; Treatment staff work in the topic once it exists.
  open_treatment: { roles: ['cs', 'cs_lead', 'cr'] },
  // /ban and /unban in a customer's topic.
  ban_client: { roles: ['cs_lead'] },
  unban_client: { roles: ['cs_lead'] },
  // /delete of someone else's message (everyone may delete their own).
  delete_any_message: { roles: ['cs_lead'] },
  // /failed and its retry buttons.
  see_failed: { roles: ['cs_lead'] },
  retry_delivery: { roles: ['cs_lead'] },
  retry_update: { roles: ['cs_lead'] },
  // /tag, /untag and /note in a customer's topic (/tags and /notes only read).
  tag_customer: { roles: ['cs', 'cs_lead', 'cr', 'treatment'] },
  note_customer: { roles: ['cs', 'cs_lead', 'cr', 'treatment'] },
  // /find in the CS group.
  find_customers: { roles: ['cs', 'cs_lead'] },
  // /canned add and remove; /c sends one.
  manage_canned: { roles: ['cs_lead'] },
  see_canned: { roles: ['cs', 'cs_lead', 'cr', 'treatment'] },
  send_canned: { roles: ['cs', 'cs_lead', 'cr', 'treatment'] },
  // /queue and its buttons: customers waiting for a CR owner.
  see_queue: { roles: ['cs_lead'] },
  assign_owner: { roles: ['cs_lead'] },
  // /resolve in a customer's topic.
  resolve_conversation: { roles: ['cs_lead'], owner: true },
  // /transfer and its agent buttons (the team buttons are reassign_customer); an owner hands over their own customers.
  transfer_customer: { roles: ['cs_lead'], owner: true },
  // /online, /away, /offline (in the staff groups and in a private chat with a staff bot); /who and /mine.
  set_presence: { roles: ['cs', 'cs_lead', 'cr', 'treatment'] },
  see_presence: { roles: ['cs', 'cs_lead', 'cr', 'treatment'] },
  // /audit: the audit trail's summary; /stats: the project's reports.
  see_audit: { roles: ['cs_lead'] },
  see_stats: { roles: ['cs_lead'] },
  // /link new, /link disable and /links: diversion links and their numbers.
  manage_links: { roles: ['cs_lead'] },
  broadcast: { roles: ['cs_lead'] },
  // /risk add and /risk remove (/risk list: any staff).
  manage_risk_phrases: { roles: ['cs_lead'] },
  see_risk_phrases: { roles: ['cs', 'cs_lead', 'cr', 'treatment'] },
  // /kb add, list and remove: the knowledge base's approved question/answer pairs (issue 19).
  manage_knowledge: { roles: ['cs_lead'] },
}

/**
 * Undefined when the user may work in this staff group: relay to the client (signed with the
 * group's label) and use its commands. Being in the group is not enough: they need one of the
 * roster roles of the group's role and, in a group of a team (CR), that team (or no team: all).
 */
export function groupRefusal(project: ProjectRuntime, userId: number, group: StaffGroup): string | undefined {
  const member = staffMember(project, userId)
  const role = roleDefinition(project.roles, group.role)
  const refusal = textsOf(project).staff('refusalGroup', { group: group.title })
  if (!member?.roles.some((r) => role.staff.includes(r))) return refusal
  if (role.groupKind === 'teams' && member.teams.length > 0 && !member.teams.includes(group.teamKey)) return refusal
  return undefined
}

/** Refusal of any command in a customer's topic: someone who may not work in the group, or a retired topic (moved, ended). */
export function topicCommandRefusal(project: ProjectRuntime, userId: number, group: StaffGroup, topic: { state: string }): string | undefined {
  const refusal = groupRefusal(project, userId, group)
  if (refusal) return refusal
  if (topic.state === 'retired') return textsOf(project).staff('refusalRetiredTopic')
  return undefined
}

/**
 * Undefined when the user may take the action in this project (on this customer, for the
 * actions their owner may take) — and, given the group it is asked in, may work in that group
 * (see `groupRefusal`); otherwise the polite refusal to show.
 */
export function refusalFor(project: ProjectRuntime, userId: number, action: StaffAction, customer?: { ownerUserId: number | null }, group?: StaffGroup): string | undefined {
  const rule = RULES[action]
  const member = staffMember(project, userId)
  const groupRefused = group && member ? groupRefusal(project, userId, group) : undefined
  if (groupRefused) return groupRefused
  if (member && rule.owner && customer?.ownerUserId === userId) return undefined
  return member?.roles.some((role) => rule.roles.includes(role)) ? undefined : textsOf(project).staff(`refusal_${action}`)
}
