import type { z } from 'zod'
import type { Database } from '../../db/client.js'
import type { DomainDeps } from '../../domain/deps.js'
import type { ProjectRuntime } from '../../domain/project-runtime.js'
import { HttpFailure } from '../router.js'
import type { ApiCaller } from './api-keys.js'

export interface ApiDeps {
  db: Database
  projects: ProjectRuntime[]
  /** What the write routes hand to the domain (outbox wake-up, logger). */
  domain: DomainDeps
}

/** An error the API answers with: an HTTP status and a stable code. */
export class ApiFailure extends HttpFailure {}

/** One request as a route sees it: the authenticated caller, the project of the path, the path's parameters. */
export interface Call {
  caller: ApiCaller
  project: ProjectRuntime
  params: Record<string, string>
  query: URLSearchParams
  body(): Promise<unknown>
}

/** A route under /api/v1/projects/<key>; `path` is a Hono path (`/customers/:id{[0-9]+}`). A POST answers 201. */
export type Route = { method: 'GET' | 'POST'; path: string; run(deps: ApiDeps, call: Call): Promise<unknown> }

/** Validates input with zod; a failure is a 422 naming each bad field. */
export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new ApiFailure(422, 'invalid_request', result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '))
}
