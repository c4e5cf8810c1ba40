import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { listDeadLetters, retryDeadLetter } from '../../delivery/dead-letters.js'
import { assignmentHistory } from '../../domain/assignment-log.js'
import { verifyApiKey, type ApiCaller } from './api-keys.js'
import { ApiFailure, parse, type ApiDeps, type Route } from './api-route.js'
import { WRITE_ROUTES } from './write-routes.js'
import { customerInProject, searchCustomers, topicsOfCustomer } from './customer-queries.js'

const listQuery = z.object({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

/** The routes under /api/v1/projects/<key>/…; every one reads or writes that project only. */
const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/customers$/,
    run: async (deps, call) => ({ customers: await searchCustomers(deps.db, call.project.id, parse(listQuery, Object.fromEntries(call.query))) }),
  },
  {
    method: 'GET',
    pattern: /^\/customers\/(\d+)$/,
    run: async (deps, call) => {
      const customerId = Number(call.params[0])
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
    pattern: /^\/dead-letters$/,
    run: async (deps, call) => ({ deadLetters: await listDeadLetters(deps.db, { projectId: call.project.id, limit: parse(listQuery, Object.fromEntries(call.query)).limit }) }),
  },
  {
    method: 'POST',
    pattern: /^\/dead-letters\/(\d+)\/retry$/,
    run: async (deps, call) => {
      const id = Number(call.params[0])
      if (!(await retryDeadLetter(deps.db, id, call.project.id))) throw new ApiFailure(404, 'dead_letter_not_found', `No dead letter ${id} in project ${call.project.config.key}`)
      return { retried: id }
    },
  },
  ...WRITE_ROUTES,
]

export type { ApiDeps }

/** Answers one /api/v1 request: authenticates the key, scopes it to the project in the path, runs the route. */
export async function handleApi(deps: ApiDeps, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  try {
    const caller = await authenticate(deps, request)
    const body = await route(deps, caller, request, url)
    json(response, request.method === 'POST' ? 201 : 200, body)
  } catch (error) {
    if (!(error instanceof ApiFailure)) throw error
    json(response, error.status, { error: { code: error.code, message: error.message } })
  }
}

async function authenticate(deps: ApiDeps, request: IncomingMessage): Promise<ApiCaller> {
  const header = request.headers.authorization ?? ''
  const match = /^Bearer (\S+)$/.exec(header)
  if (!match) throw new ApiFailure(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>" (npm run apikey -- create)')
  const caller = await verifyApiKey(deps.db, match[1]!)
  if (!caller) throw new ApiFailure(401, 'unauthorized', 'This API key is unknown or revoked')
  return caller
}

async function route(deps: ApiDeps, caller: ApiCaller, request: IncomingMessage, url: URL): Promise<unknown> {
  const path = url.pathname.replace(/^\/api\/v1/, '')
  if (path === '/projects' && request.method === 'GET') {
    return { projects: deps.projects.filter((p) => caller.projectId === null || p.id === caller.projectId).map((p) => ({ key: p.config.key, name: p.config.name })) }
  }
  const scoped = /^\/projects\/([a-z0-9_-]+)(\/.*)$/.exec(path)
  if (!scoped) throw new ApiFailure(404, 'not_found', `No route ${url.pathname}`)
  const project = deps.projects.find((p) => p.config.key === scoped[1])
  // Another project's key learns nothing, not even whether the project exists: the same 404 as an unknown one.
  if (!project || (caller.projectId !== null && caller.projectId !== project.id)) throw new ApiFailure(404, 'project_not_found', `No project ${scoped[1]}`)
  const rest = scoped[2]!
  const matching = ROUTES.filter((r) => r.pattern.test(rest))
  const found = matching.find((r) => r.method === request.method)
  if (!found)
    throw matching.length
      ? new ApiFailure(405, 'method_not_allowed', `${request.method} is not allowed on ${url.pathname}`)
      : new ApiFailure(404, 'not_found', `No route ${url.pathname}`)
  return found.run(deps, { caller, project, params: found.pattern.exec(rest)!.slice(1), query: url.searchParams, body: () => readJson(request) })
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > 64 * 1024) throw new ApiFailure(413, 'too_large', 'The request body is larger than 64 KB')
    chunks.push(chunk)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
  } catch {
    throw new ApiFailure(422, 'invalid_json', 'The request body is not JSON')
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}
