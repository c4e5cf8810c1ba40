import { z } from 'zod'
import { listDeadLetters, retryDeadLetter } from '../../delivery/dead-letters.js'
import { assignmentHistory } from '../../domain/assignment-log.js'
import { ApiFailure, parse, type Route } from './api-route.js'
import { customerInProject, searchCustomers, topicsOfCustomer } from './customer-queries.js'

const listQuery = z.object({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

/** The routes that read a project (and retry its dead letters); every one reads or writes that project only. */
export const READ_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/customers',
    run: async (deps, call) => ({ customers: await searchCustomers(deps.db, call.project.id, parse(listQuery, Object.fromEntries(call.query))) }),
  },
  {
    method: 'GET',
    path: '/customers/:id{[0-9]+}',
    run: async (deps, call) => {
      const customerId = Number(call.params.id)
      const customer = await customerInProject(deps.db, call.project.id, customerId)
      if (!customer) throw new ApiFailure(404, 'customer_not_found', `No customer ${customerId} in project ${call.project.config.key}`)
      return {
        customer,
        topics: await topicsOfCustomer(deps.db, call.project.id, customerId),
        history: await assignmentHistory(deps.db, call.project, customerId),
      }
    },
  },
  {
    method: 'GET',
    path: '/dead-letters',
    run: async (deps, call) => ({ deadLetters: await listDeadLetters(deps.db, { projectId: call.project.id, limit: parse(listQuery, Object.fromEntries(call.query)).limit }) }),
  },
  {
    method: 'POST',
    path: '/dead-letters/:id{[0-9]+}/retry',
    run: async (deps, call) => {
      const id = Number(call.params.id)
      if (!(await retryDeadLetter(deps.db, id, call.project.id))) throw new ApiFailure(404, 'dead_letter_not_found', `No dead letter ${id} in project ${call.project.config.key}`)
      return { retried: id }
    },
  },
]
