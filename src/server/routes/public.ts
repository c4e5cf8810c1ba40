/**
 * The public surface: what anyone on the Internet may ask (no auth, a per-address rate limit, no
 * request bodies). Served on the admin port, or on its own (`http.public`). For now one route
 * proves it is reachable; diversion links (`GET /l/<code>`) come here.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { rateLimit, type RateLimit } from '../rate-limit.js'
import { HttpFailure, json, type Surface } from '../router.js'

/** 5 requests a second per address, in bursts of 20. */
export const PUBLIC_RATE_LIMIT: RateLimit = { burst: 20, perSecond: 5 }

export function publicSurface(options: { rateLimit?: RateLimit } = {}): Surface {
  const routes = new Hono()
  routes.use('/public/*', rateLimit(options.rateLimit ?? PUBLIC_RATE_LIMIT))
  routes.use(
    '/public/*',
    bodyLimit({
      maxSize: 0,
      onError: () => {
        throw new HttpFailure(413, 'too_large', 'This address takes no request body')
      },
    }),
  )
  routes.get('/public/ping', (c) => json(c, 200, { status: 'ok' }))
  return { name: 'public', routes }
}
