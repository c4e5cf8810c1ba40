import { createHash } from 'node:crypto'
import UAParser from 'ua-parser-js'
import type { DbOrTx } from '../../db/client.js'
import { linkClicks } from '../../db/schema/index.js'
import { newClickToken } from './codes.js'
import { readParams, type Link, type LinkParams } from './links.js'
import { projectRow } from '../../db/project-scope.js'

/** What a visitor's request says about them. */
export interface Visit {
  /** The visitor's address (see src/server/client-address.ts), when known. */
  ip: string | undefined
  userAgent: string | undefined
  referrer: string | undefined
  /** The query of the link's URL: utm_* and any other parameter (first value of each). */
  query: LinkParams
}

/** Query parameters kept per click, and their lengths: a visitor cannot make a row grow without bound. */
const MAX_PARAMS = 40
const MAX_KEY_CHARS = 64
const MAX_VALUE_CHARS = 512

/** Browser, OS and device of a user agent ("Mobile Safari 17.0", "iOS 17.0", "mobile Apple iPhone"). */
export function describeUserAgent(userAgent: string | undefined): { browser: string | null; os: string | null; device: string | null } {
  if (!userAgent) return { browser: null, os: null, device: null }
  const parsed = new UAParser(userAgent).getResult()
  const words = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ').slice(0, 64) || null
  return {
    browser: words(parsed.browser.name, parsed.browser.version),
    os: words(parsed.os.name, parsed.os.version),
    // A user agent names a device type for phones, tablets, TVs…; none usually means a desktop.
    device: words(parsed.device.type ?? 'desktop', parsed.device.vendor, parsed.device.model),
  }
}

/**
 * Stores one visit of a link (one INSERT, nothing else: the redirect waits on it) and returns the
 * token the visitor's client bot start carries. The link's own parameters come first, the query's
 * add to or replace them.
 */
export async function recordClick(db: DbOrTx, link: Pick<Link, 'id' | 'projectId' | 'params'>, visit: Visit, now: Date): Promise<string> {
  const token = newClickToken()
  const query = Object.entries(visit.query)
    .slice(0, MAX_PARAMS)
    .map(([key, value]) => [key.slice(0, MAX_KEY_CHARS), value.slice(0, MAX_VALUE_CHARS)])
  const userAgent = visit.userAgent?.slice(0, 512)
  await db.insert(linkClicks).values(
    projectRow(linkClicks, link.projectId, {
      linkId: link.id,
      token,
      clickedAt: now,
      ip: visit.ip ?? null,
      visitor: createHash('sha256')
        .update(`${visit.ip ?? ''}\n${userAgent ?? ''}`)
        .digest('hex'),
      userAgent: userAgent ?? null,
      ...describeUserAgent(userAgent),
      referrer: visit.referrer?.slice(0, 1024) ?? null,
      params: JSON.stringify({ ...readParams(link.params), ...Object.fromEntries(query) }),
    }),
  )
  return token
}
