import { z } from 'zod'
import { assignCustomer, type AssignOutcome } from '../../domain/onboarding/assign-customer.js'
import { relayApiMessage, type ApiMessageOutcome } from '../../domain/relay/api-message.js'
import { ApiFailure, parse, type Route } from './api-route.js'

const assignBody = z.object({ team: z.string().min(1).max(64), by: z.number().int().positive() })
// Telegram's limit for one text; the relay splits nothing the API sends.
const messageBody = z.object({ staffId: z.number().int().positive(), text: z.string().trim().min(1).max(4096) })

const STATUS = {
  no_customer: 404,
  not_staff: 422,
  no_team: 422,
  not_active: 422,
  no_group: 422,
  forbidden: 403,
  conflict: 409,
} as const

function failure(outcome: Extract<AssignOutcome | ApiMessageOutcome, { ok: false }>): ApiFailure {
  return new ApiFailure(STATUS[outcome.reason], outcome.reason === 'no_customer' ? 'customer_not_found' : outcome.reason, outcome.message)
}

/** The routes that change something: assign a customer, write to a customer as a staff member. */
export const WRITE_ROUTES: Route[] = [
  {
    method: 'POST',
    path: '/customers/:id{[0-9]+}/assign',
    run: async (deps, call) => {
      const body = parse(assignBody, await call.body())
      const outcome = await assignCustomer(deps.domain, call.project, { customerId: Number(call.params.id), team: body.team, by: body.by, apiKeyId: call.caller.keyId })
      if (!outcome.ok) throw failure(outcome)
      return { result: outcome.kind, message: outcome.text }
    },
  },
  {
    method: 'POST',
    path: '/customers/:id{[0-9]+}/messages',
    run: async (deps, call) => {
      const body = parse(messageBody, await call.body())
      const outcome = await relayApiMessage(deps.domain, call.project, {
        customerId: Number(call.params.id),
        staffId: body.staffId,
        text: body.text,
        apiKeyId: call.caller.keyId,
      })
      if (!outcome.ok) throw failure(outcome)
      return { messageId: outcome.messageRowId, delivered: outcome.delivered, ...(outcome.held ? { held: outcome.held.reason } : {}) }
    },
  },
]
