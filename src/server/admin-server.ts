import type { Server } from 'node:http'
import type { Logger } from '../logger.js'
import type { ApiDeps } from './api/api-route.js'
import type { Metrics } from './metrics.js'
import type { RateLimit } from './rate-limit.js'
import { closeServer, createRouter, httpServer, json, listen, type RouterOptions } from './router.js'
import { adminSurface } from './routes/admin.js'
import { apiSurface } from './routes/api.js'
import { publicSurface } from './routes/public.js'
import type { LinkRouteDeps } from './routes/public-links.js'
import { addressList } from '../config/addresses.js'

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
  /** Serve the public surface here too (when it has no port of its own). */
  withPublic?: boolean
  /** Proxies whose X-Forwarded-For names a link's visitor (config `links.trustedProxies`). */
  trustedProxies?: readonly string[]
}

/** What the public surface's link route needs, from the admin server's dependencies. */
function linkDeps(deps: AdminServerDeps): LinkRouteDeps {
  return { db: deps.api.db, projects: deps.api.projects, clock: deps.api.domain.clock, logger: deps.logger, trustedProxies: addressList(deps.trustedProxies ?? []) }
}

/**
 * The operator's HTTP server, apart from the Internet-facing webhook port (bound to 127.0.0.1
 * by default): `/healthz` (the process answers), `/readyz` (it can do its work), `/metrics`,
 * the JSON API under `/api/v1` (API keys), and the public surface unless it is bound apart.
 */
export function createAdminServer(deps: AdminServerDeps): Server {
  const surfaces = [adminSurface(deps), apiSurface(deps.api)]
  if (deps.withPublic) surfaces.push(publicSurface({ links: linkDeps(deps) }))
  return httpServer(createRouter(surfaces, jsonAnswers(deps.logger, 'admin')))
}

/** The public surface on a port of its own (`http.public`). */
export function createPublicServer(deps: { logger: Logger; rateLimit?: RateLimit; links?: LinkRouteDeps }): Server {
  return httpServer(createRouter([publicSurface({ rateLimit: deps.rateLimit, links: deps.links })], jsonAnswers(deps.logger, 'public')))
}

/** Unknown paths answer 404 in JSON; a method other than GET outside the API answers 405. */
function jsonAnswers(logger: Logger, name: string): RouterOptions {
  return {
    logger,
    name,
    notFound: (c) =>
      c.req.method === 'GET'
        ? json(c, 404, { error: { code: 'not_found', message: `no route ${c.req.path}` } })
        : json(c, 405, { error: { code: 'method_not_allowed', message: 'only GET is served here' } }),
    failed: (c) => json(c, 500, { error: { code: 'internal', message: 'internal error' } }),
  }
}

export interface HttpAddress {
  host: string
  port: number
}

/** Starts the admin server, and the public one when `public` gives it an address of its own. */
export async function startHttpServers(http: HttpAddress & { public?: HttpAddress }, deps: AdminServerDeps) {
  const admin = createAdminServer({ ...deps, withPublic: !http.public })
  const adminPort = await listen(admin, http.port, http.host)
  const open: Server[] = [admin]
  let publicPort: number | undefined
  if (http.public) {
    const server = createPublicServer({ logger: deps.logger, links: linkDeps(deps) })
    open.push(server)
    try {
      publicPort = await listen(server, http.public.port, http.public.host)
    } catch (error) {
      await closeServer(admin)
      throw error
    }
  }
  return { adminPort, publicPort: publicPort ?? (http.public ? undefined : adminPort), stop: () => Promise.all(open.map(closeServer)).then(() => undefined) }
}
