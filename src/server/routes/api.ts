/**
 * The API surface, `/api/v1`: JSON for an API key (`Authorization: Bearer tdk_…`), a
 * per-address rate limit, request bodies of at most 64 KB. A key speaks for one project (or all):
 * every route under `/projects/<key>` reads or writes that project only.
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ProjectRuntime } from '../../domain/project-runtime.js'
import { verifyApiKey, type ApiCaller } from '../api/api-keys.js'
import { ApiFailure, type ApiDeps, type Route } from '../api/api-route.js'
import { READ_ROUTES } from '../api/read-routes.js'
import { WRITE_ROUTES } from '../api/write-routes.js'
import { rateLimit, type RateLimit } from '../rate-limit.js'
import { json, type Surface } from '../router.js'

/** 20 requests a second per address, in bursts of 100. */
export const API_RATE_LIMIT: RateLimit = { burst: 100, perSecond: 20 }
const MAX_BODY_BYTES = 64 * 1024
const ROUTES: Route[] = [...READ_ROUTES, ...WRITE_ROUTES]

type ApiEnv = { Variables: { caller: ApiCaller; project: ProjectRuntime } }

export function apiSurface(deps: ApiDeps, options: { rateLimit?: RateLimit } = {}): Surface {
  const api = new Hono<ApiEnv>().basePath('/api/v1')
  api.use('*', rateLimit(options.rateLimit ?? API_RATE_LIMIT))
  api.use('*', async (c, next) => {
    c.set('caller', await authenticate(deps, c.req.header('authorization')))
    await next()
  })
  api.get('/projects', (c) => {
    const caller = c.get('caller')
    const visible = deps.projects.filter((p) => caller.projectId === null || p.id === caller.projectId)
    return json(c, 200, { projects: visible.map((p) => ({ key: p.config.key, name: p.config.name })) })
  })
  api.use('/projects/:project/*', async (c, next) => {
    const key = c.req.param('project')
    const caller = c.get('caller')
    const project = deps.projects.find((p) => p.config.key === key)
    // Another project's key learns nothing, not even whether the project exists: the same 404 as an unknown one.
    if (!project || (caller.projectId !== null && caller.projectId !== project.id)) throw new ApiFailure(404, 'project_not_found', `No project ${key}`)
    c.set('project', project)
    await next()
  })
  const tooLarge = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiFailure(413, 'too_large', 'The request body is larger than 64 KB')
    },
  })
  for (const route of ROUTES) api.on(route.method, `/projects/:project${route.path}`, tooLarge, (c) => answer(deps, route, c))
  // A path some route serves, asked with another method: 405; any other path: 404.
  for (const path of new Set(ROUTES.map((r) => r.path)))
    api.all(`/projects/:project${path}`, (c) => {
      throw new ApiFailure(405, 'method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}`)
    })
  api.all('*', (c) => {
    throw new ApiFailure(404, 'not_found', `No route ${c.req.path}`)
  })
  return { name: 'api', routes: api as unknown as Hono }
}

async function answer(deps: ApiDeps, route: Route, c: Context<ApiEnv>): Promise<Response> {
  const url = new URL(c.req.url)
  const body = await route.run(deps, {
    caller: c.get('caller'),
    project: c.get('project'),
    params: c.req.param(),
    query: url.searchParams,
    body: () => readJson(c),
  })
  return json(c, route.method === 'POST' ? 201 : 200, body)
}

async function authenticate(deps: ApiDeps, header: string | undefined): Promise<ApiCaller> {
  const match = /^Bearer (\S+)$/.exec(header ?? '')
  if (!match) throw new ApiFailure(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>" (npm run apikey -- create)')
  const caller = await verifyApiKey(deps.db, match[1]!)
  if (!caller) throw new ApiFailure(401, 'unauthorized', 'This API key is unknown or revoked')
  return caller
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  try {
    return JSON.parse(text || '{}')
  } catch {
    throw new ApiFailure(422, 'invalid_json', 'The request body is not JSON')
  }
}
