/** The admin surface: the operator's health, readiness and metrics (no auth: bind it to a private address). */
import { Hono } from 'hono'
import type { ReadinessCheck } from '../admin-server.js'
import type { Metrics } from '../metrics.js'
import { json, type Surface } from '../router.js'

export interface AdminRoutesDeps {
  metrics: Metrics
  readiness(): Promise<ReadinessCheck[]>
}

export function adminSurface(deps: AdminRoutesDeps): Surface {
  const routes = new Hono()
  // `/healthz` asks nothing (no database, no metrics): the process answers.
  routes.get('/healthz', (c) => json(c, 200, { status: 'ok' }))
  routes.get('/readyz', async (c) => {
    const checks = await deps.readiness()
    const ready = checks.every((check) => check.ok)
    return json(c, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks })
  })
  routes.get('/metrics', async (c) => c.body(await deps.metrics.text(), 200, { 'content-type': deps.metrics.registry.contentType }))
  return { name: 'admin', routes }
}
