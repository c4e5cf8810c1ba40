import type { BlockList } from 'node:net'
import type { Context } from 'hono'
import type { Database } from '../../db/client.js'
import type { Clock } from '../../domain/clock.js'
import { recordClick } from '../../domain/links/clicks.js'
import { findEnabledLink } from '../../domain/links/links.js'
import { clientBot, type ProjectRuntime } from '../../domain/project-runtime.js'
import type { Logger } from '../../logger.js'
import { clientAddress } from '../client-address.js'

/** What `GET /l/<code>` needs: the links and clicks, the running projects (their client bots), "now", whom to believe about addresses. */
export interface LinkRouteDeps {
  db: Database
  projects: readonly ProjectRuntime[]
  clock: Clock
  logger: Logger
  trustedProxies: BlockList
}

/**
 * `GET /l/<code>`: stores the click (one INSERT after one read of the link) and redirects (302) to
 * the project's client bot with the click's token as the start parameter. An unknown or disabled
 * code, or one of a project this process does not run (or whose client bot is unknown), is a plain 404.
 */
export function linkRedirect(deps: LinkRouteDeps) {
  return async (c: Context): Promise<Response> => {
    const link = await findEnabledLink(deps.db, c.req.param('code') ?? '')
    const project = link && deps.projects.find((p) => p.id === link.projectId)
    if (!link || !project) return c.text('Not found', 404)
    const bot = clientBot(project).username
    // A client bot whose token Telegram refused at start-up has no known username: nowhere to send the visitor.
    if (!bot) {
      deps.logger.warn({ linkId: link.id, project: project.config.key }, 'link clicked, but the client bot has no known username; answered 404')
      return c.text('Not found', 404)
    }
    const query = Object.fromEntries(Object.entries(c.req.queries()).map(([key, values]) => [key, values[0] ?? '']))
    const token = await recordClick(
      deps.db,
      link,
      { ip: clientAddress(c, deps.trustedProxies), userAgent: c.req.header('user-agent'), referrer: c.req.header('referer'), query },
      deps.clock.now(),
    )
    deps.logger.debug({ linkId: link.id, project: project.config.key }, 'link click')
    c.header('cache-control', 'no-store')
    c.header('referrer-policy', 'no-referrer')
    return c.redirect(`https://t.me/${bot}?start=${token}`, 302)
  }
}
