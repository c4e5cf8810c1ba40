import type { Context, MiddlewareHandler } from 'hono'
import { socketAddress } from './client-address.js'
import { HttpFailure } from './router.js'

/** A bucket of `burst` requests per address, refilled at `perSecond`. */
export interface RateLimit {
  burst: number
  perSecond: number
}

/** Addresses remembered at most; past it, the buckets that have refilled are forgotten. */
const MAX_ADDRESSES = 10_000

/**
 * Per-address token bucket: each request takes a token; an address with none left is answered
 * 429 with Retry-After (seconds until its next token). The address is the connecting socket's
 * (behind a reverse proxy, every request shares the proxy's bucket unless it limits first), or
 * what `addressOf` reads (the diversion links' visitor, from a trusted proxy's X-Forwarded-For).
 */
export function rateLimit(limit: RateLimit, now: () => number = Date.now, addressOf: (c: Context) => string | undefined = socketAddress): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; at: number }>()
  const refilled = (bucket: { tokens: number; at: number }, t: number) => Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond)
  return async (c, next) => {
    const address = addressOf(c) ?? 'unknown'
    const t = now()
    const bucket = buckets.get(address) ?? { tokens: limit.burst, at: t }
    bucket.tokens = refilled(bucket, t)
    bucket.at = t
    if (bucket.tokens < 1) {
      c.header('retry-after', String(Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond))))
      throw new HttpFailure(429, 'rate_limited', 'Too many requests; try again shortly')
    }
    bucket.tokens -= 1
    buckets.set(address, bucket)
    if (buckets.size > MAX_ADDRESSES) for (const [key, b] of buckets) if (refilled(b, t) >= limit.burst) buckets.delete(key)
    await next()
  }
}
