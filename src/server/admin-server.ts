import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Logger } from '../logger.js'
import { handleApi, type ApiDeps } from './api/api-router.js'
import type { Metrics } from './metrics.js'

/** One part of readiness: its name, whether it is fine, and a short reason. */
export interface ReadinessCheck {
  name: string
  ok: boolean
  detail: string
}

export interface AdminServerDeps {
  logger: Logger
  metrics: Metrics
  api: ApiDeps
  readiness(): Promise<ReadinessCheck[]>
}

/**
 * The operator's HTTP server, apart from the Internet-facing webhook port (bound to 127.0.0.1
 * by default): `/healthz` (the process answers), `/readyz` (it can do its work), `/metrics`,
 * and the JSON API under `/api/v1` (API keys).
 */
export function createAdminServer(deps: AdminServerDeps): Server {
  return createServer((request, response) => {
    void route(deps, request, response).catch((error: unknown) => {
      deps.logger.error({ err: error, path: request.url }, 'admin request failed')
      if (!response.headersSent) json(response, 500, { error: { code: 'internal', message: 'internal error' } })
    })
  })
}

async function route(deps: AdminServerDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://admin')
  const path = url.pathname
  if (path.startsWith('/api/v1/')) return handleApi(deps.api, request, response, url)
  if (request.method !== 'GET') return json(response, 405, { error: { code: 'method_not_allowed', message: 'only GET is served here' } })
  switch (path) {
    case '/healthz':
      return json(response, 200, { status: 'ok' })
    case '/readyz': {
      const checks = await deps.readiness()
      const ready = checks.every((c) => c.ok)
      return json(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks })
    }
    case '/metrics':
      response.writeHead(200, { 'content-type': deps.metrics.registry.contentType })
      response.end(await deps.metrics.text())
      return
    default:
      return json(response, 404, { error: { code: 'not_found', message: `no route ${path}` } })
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}
