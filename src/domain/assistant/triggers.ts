import type { DbOrTx } from '../../db/client.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import type { Clock } from '../clock.js'
import type { Customer } from '../customers.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { hasAssistant } from './jobs.js'
import { translationTrigger } from '../translation/client-message.js'
import { suggestionTrigger } from './suggestions.js'
import { queueAnswerJob } from './answers.js'

/** A relayed message the assistant may work on; `links` are the ids of its copies' relay links, in route order. */
export type AssistantEvent =
  { kind: 'client_message'; customer: Customer; stored: MessageRow; links: number[] } | { kind: 'staff_message'; customer: Customer; stored: MessageRow; links: number[] }

/** One feature's reaction to an event: queues its jobs (`queueAssistantJob`) inside the relay's transaction, and never calls a provider. */
export type AssistantTrigger = (tx: DbOrTx, clock: Clock, project: ProjectRuntime, event: AssistantEvent) => Promise<void>

/** Every feature's trigger, in order: one line each (suggestions, answers, translation…). */
const TRIGGERS: readonly AssistantTrigger[] = [translationTrigger, suggestionTrigger, queueAnswerJob]

/**
 * Called by the relay pipeline after a message's copies are queued, in its transaction: each
 * feature queues its assistant jobs. Nothing for a project without an assistant.
 */
export async function queueAssistantWork(tx: DbOrTx, clock: Clock, project: ProjectRuntime, event: AssistantEvent): Promise<void> {
  if (!hasAssistant(project)) return
  for (const trigger of [...TRIGGERS, ...(project.assistantTriggers ?? [])]) await trigger(tx, clock, project, event)
}
