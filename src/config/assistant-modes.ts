import { z } from 'zod'

/** The customer fields a project may let the assistant see (`assistant.customerFields`); nothing else of a customer leaves. */
export const CUSTOMER_FIELDS = ['firstName', 'languageCode', 'crTeam', 'accountName', 'accountEmail', 'accountExternalId'] as const
export type CustomerField = (typeof CUSTOMER_FIELDS)[number]

/**
 * The assistant's modes and what answer mode does (issue 19, h/suggest and h/answer): kept in their
 * own block so the provider's and the knowledge base's keys fold in beside them. Defaults are applied
 * when a project's assistant is merged over the deployment's (`ASSISTANT_MODE_DEFAULTS`).
 */
export const modeFields = {
  mode: z.enum(['off', 'suggest', 'answer']).optional(),
  teams: z.record(z.string(), z.enum(['off', 'suggest', 'answer'])).optional(),
  /** Answer mode: when the client bot answers alone, and how long it stays quiet after a person wrote. */
  answer: z
    .strictObject({
      /** `confident`: only when retrieval is confident; `outside_hours`: also when not, outside business hours; `always`: every question. */
      when: z.enum(['confident', 'outside_hours', 'always']).default('confident'),
      quietMinutesAfterStaff: z.number().int().min(0).default(30),
    })
    .optional(),
  /** The customer fields the assistant's prompt may hold (default none). */
  customerFields: z.array(z.enum(CUSTOMER_FIELDS)).optional(),
  /** A `/summary` of the conversation added to `/transfer` and reassignment notices. */
  summaries: z.strictObject({ onTransfer: z.boolean().default(false), onReassign: z.boolean().default(false) }).optional(),
}

/** The modes' keys after merging. */
export interface AssistantModeSettings {
  mode: 'off' | 'suggest' | 'answer'
  teams?: Record<string, 'off' | 'suggest' | 'answer'>
  answer: { when: 'confident' | 'outside_hours' | 'always'; quietMinutesAfterStaff: number }
  customerFields: CustomerField[]
  summaries: { onTransfer: boolean; onReassign: boolean }
}

/** What a project's merged assistant has when neither the deployment nor the project says. */
export const ASSISTANT_MODE_DEFAULTS: AssistantModeSettings = {
  mode: 'suggest',
  answer: { when: 'confident', quietMinutesAfterStaff: 30 },
  customerFields: [],
  summaries: { onTransfer: false, onReassign: false },
}
