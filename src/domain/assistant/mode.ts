import type { Customer } from '../customers.js'
import type { ProjectRuntime } from '../project-runtime.js'

/** What the assistant does for a customer: nothing, suggest replies to staff, or answer the client itself. */
export type AssistantMode = 'off' | 'suggest' | 'answer'

/** The customer's CR team's mode (`assistant.teams.<key>`) over the project's (`assistant.mode`); off without an assistant. */
export function assistantModeOf(project: ProjectRuntime, customer: Pick<Customer, 'crTeam'>): AssistantMode {
  const assistant = project.config.assistant
  if (!assistant) return 'off'
  return (customer.crTeam ? assistant.teams?.[customer.crTeam] : undefined) ?? assistant.mode
}
