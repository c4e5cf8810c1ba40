/**
 * The one HTTP router of the service (Hono on node:http). Every listening port — admin, public,
 * webhook — is a router made of surfaces: each surface is a Hono app with its own routes, body
 * limits, auth and rate limits (src/server/routes/, one file per surface). The router adds what
 * they share: the answer to an unknown path and to a failure, and the node:http server.
 */
import { createServer, type Server } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Logger } from '../logger.js'

/** One group of routes served together, e.g. the JSON API under /api/v1. */
export interface Surface {
  name: 'admin' | 'api' | 'public' | 'webhook'
  routes: Hono
}

/** An error a route answers with: an HTTP status and a stable code (`{ error: { code, message } }`). */
export class HttpFailure extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 405 | 409 | 413 | 422 | 429,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export interface RouterOptions {
  logger: Logger
  /** Names the port in the log line of a failed request ("admin request failed"). */
  name: string
  /** The answer to a path no surface serves (and to a method no route of that path takes). */
  notFound(c: Context): Response
  /** The answer to an unexpected failure (logged first). */
  failed(c: Context): Response
}

/** A router serving the given surfaces in order (the first route that matches answers). */
export function createRouter(surfaces: Surface[], options: RouterOptions): Hono {
  const app = new Hono()
  for (const surface of surfaces) app.route('/', surface.routes)
  app.notFound((c) => options.notFound(c))
  app.onError((error, c) => {
    if (error instanceof HttpFailure) return failure(c, error)
    options.logger.error({ err: error, path: c.req.path }, `${options.name} request failed`)
    return options.failed(c)
  })
  return app
}

/** The node:http server of a router (not yet listening). */
export function httpServer(app: Hono): Server {
  const listener = getRequestListener(app.fetch, { autoCleanupIncoming: false })
  return createServer((incoming, outgoing) => {
    // A body left unread (a request refused before reading it) is read and dropped once the
    // answer is out, as node:http does, so the connection stays usable. A web stream over it
    // that nobody reads (hono/body-limit creates one) would hold it paused: it is let go.
    outgoing.once('finish', () => {
      if (incoming.readableEnded) return
      incoming.removeAllListeners('data')
      incoming.resume()
    })
    void listener(incoming, outgoing)
  })
}

/** Starts a server on `host:port` (0: any free port) and resolves to the port it got. */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  return typeof address === 'object' && address ? address.port : port
}

export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()))
}

/** A JSON answer with the charset spelled out, as every surface but the webhook's answers. */
export function json(c: Context, status: ContentfulStatusCode, body: unknown): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/json; charset=utf-8' })
}

/** The JSON answer of a failure: `{ error: { code, message } }`. */
export function failure(c: Context, error: HttpFailure): Response {
  return json(c, error.status, { error: { code: error.code, message: error.message } })
}
