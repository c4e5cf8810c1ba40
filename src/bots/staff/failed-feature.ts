import { Composer } from 'grammy'
import { retryDeadLetter } from '../../delivery/dead-letters.js'
import { refusalFor } from '../../domain/permissions.js'
import { retryFailedUpdate } from '../../db/repositories/updates.js'
import { formatUpdateKey, parseUpdateKey } from '../ingress/failed-updates.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

// /failed itself is in the command registry (commands/failed.ts); its retry buttons are answered here.
composer.callbackQuery(/^dl:(\d{1,15})$/, async (ctx) => {
  const refusal = refusalFor(ctx.project, ctx.from.id, 'retry_delivery')
  if (refusal) {
    await ctx.answerCallbackQuery({ text: refusal, show_alert: true })
    return
  }
  const id = Number(ctx.match[1])
  const queued = await retryDeadLetter(ctx.deps.db, id, ctx.project.id)
  if (queued) ctx.deps.notify()
  ctx.log.info({ outboxId: id, queued, by: ctx.from.id }, 'dead letter retry pressed')
  await ctx.answerCallbackQuery({ text: queued ? `Row #${id} is queued again.` : `Row #${id} is no longer failed.` })
})

composer.callbackQuery(/^du:(\d{1,15}:\d{1,15})$/, async (ctx) => {
  const refusal = refusalFor(ctx.project, ctx.from.id, 'retry_update')
  if (refusal) {
    await ctx.answerCallbackQuery({ text: refusal, show_alert: true })
    return
  }
  const key = parseUpdateKey(ctx.match[1]!)!
  // Scoped to the project: a button can only revive this project's own rows.
  const queued = await retryFailedUpdate(ctx.deps.db, key, ctx.project.id)
  ctx.log.info({ failedBotId: key.botId, failedUpdateId: key.updateId, queued, by: ctx.from.id }, 'failed update retry pressed')
  const shown = formatUpdateKey(key)
  await ctx.answerCallbackQuery({ text: queued ? `Update ${shown} will be handled again.` : `Update ${shown} is no longer failed.` })
})

export { composer as staffFailedFeature }
