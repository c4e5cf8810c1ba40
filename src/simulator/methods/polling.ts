import { ApiError, badRequest } from '../api-error.js'
import type { Handler } from './context.js'
import { WithDescription } from './context.js'

const WEBHOOK_CONFLICT = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"

/** Long polling: holds the request up to `timeout` seconds; a newer poll ends the older one with 409. */
const getUpdates: Handler = async ({ bot, params, signal }) => {
  if (bot.webhook.config) throw new ApiError(409, WEBHOOK_CONFLICT)
  const limit = Math.min(100, Math.max(1, params.int('limit') ?? 100))
  const timeout = Math.max(0, params.int('timeout') ?? 0)
  bot.queue.setAllowed(params.json<string[]>('allowed_updates'))
  return bot.queue.poll(params.int('offset'), limit, timeout, signal)
}

const setWebhook: Handler = ({ bot, params }) => {
  const url = params.str('url') ?? ''
  if (url === '') {
    bot.webhook.remove()
    return new WithDescription(true, 'Webhook was deleted')
  }
  if (!/^https?:\/\/[^\s/]+/i.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook')
  const secret = params.str('secret_token')
  if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest('secret token contains unallowed characters')
  const maxConnections = params.int('max_connections') ?? 40
  if (maxConnections < 1 || maxConnections > 100) throw badRequest('bad webhook: max_connections must be between 1 and 100')
  bot.queue.setAllowed(params.json<string[]>('allowed_updates'))
  if (params.bool('drop_pending_updates')) bot.queue.dropPending()
  bot.queue.cancelPoll(new ApiError(409, WEBHOOK_CONFLICT))
  const same = bot.webhook.config?.url === url && bot.webhook.config.secretToken === secret
  bot.webhook.set({ url, secretToken: secret, maxConnections })
  return new WithDescription(true, same ? 'Webhook is already set' : 'Webhook was set')
}

const deleteWebhook: Handler = ({ bot, params }) => {
  const had = bot.webhook.config !== undefined
  bot.webhook.remove()
  if (params.bool('drop_pending_updates')) bot.queue.dropPending()
  return new WithDescription(true, had ? 'Webhook was deleted' : 'Webhook is already deleted')
}

const getWebhookInfo: Handler = ({ bot }) => {
  const config = bot.webhook.config
  if (!config) return { url: '', has_custom_certificate: false, pending_update_count: bot.queue.pendingCount }
  return {
    url: config.url,
    has_custom_certificate: false,
    pending_update_count: bot.queue.pendingCount,
    max_connections: config.maxConnections,
    ip_address: '127.0.0.1',
    ...(config.lastErrorDate ? { last_error_date: config.lastErrorDate, last_error_message: config.lastErrorMessage } : {}),
    allowed_updates: [...bot.queue.allowed],
  }
}

export const pollingHandlers: Record<string, Handler> = { getUpdates, setWebhook, deleteWebhook, getWebhookInfo }
