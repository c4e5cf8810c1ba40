/**
 * The public surface: what anyone on the Internet may ask (no auth, a per-address rate limit, no
 * request bodies). Served on the admin port, or on its own (`http.public`): `/public/ping` proves
 * it is reachable; `GET /l/<code>` answers diversion links (see `public-links.ts`).
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { clientAddress } from '../client-address.js'
import { rateLimit, type RateLimit } from '../rate-limit.js'
import { HttpFailure, json, type Surface } from '../router.js'
import { linkRedirect, type LinkRouteDeps } from './public-links.js'

/** 5 requests a second per address, in bursts of 20. */
export const PUBLIC_RATE_LIMIT: RateLimit = { burst: 20, perSecond: 5 }

export function publicSurface(options: { rateLimit?: RateLimit; links?: LinkRouteDeps } = {}): Surface {
  const limit = options.rateLimit ?? PUBLIC_RATE_LIMIT
  const noBody = bodyLimit({
    maxSize: 0,
    onError: () => {
      throw new HttpFailure(413, 'too_large', 'This address takes no request body')
    },
  })
  const routes = new Hono()
  routes.use('/public/*', rateLimit(limit))
  routes.use('/public/*', noBody)
  routes.get('/public/ping', (c) => json(c, 200, { status: 'ok' }))
  const links = options.links
  if (links) {
    // Keyed on the visitor, as their trusted proxy names them: behind a proxy each visitor has a bucket.
    routes.use(
      '/l/*',
      rateLimit(limit, Date.now, (c) => clientAddress(c, links.trustedProxies)),
    )
    routes.use('/l/*', noBody)
    routes.get('/l/:code', linkRedirect(links))
  }
  return { name: 'public', routes }
}
