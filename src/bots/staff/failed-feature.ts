import { Composer } from 'grammy'
import { retryDeadLetter } from '../../delivery/dead-letters.js'
import { deadLetterRetryButtons, failedUpdateRetryButtons } from '../../domain/buttons/failed.js'
import { retryFailedUpdate } from '../../db/repositories/updates.js'
import { formatUpdateKey } from '../ingress/failed-updates.js'
import { bindButtonFamily, inHomeGroup } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

// /failed itself is in the command registry (commands/failed.ts); its retry buttons are answered here,
// only on the listing that carries them. Both act within this project only.
bindButtonFamily(composer, deadLetterRetryButtons, { groups: inHomeGroup, action: () => 'retry_delivery' }, async (ctx, { value: { outboxId: id } }) => {
  const queued = await retryDeadLetter(ctx.deps.db, id, ctx.project.id)
  if (queued) ctx.deps.notify()
  ctx.log.info({ outboxId: id, queued, by: ctx.from.id }, 'dead letter retry pressed')
  await ctx.answerCallbackQuery({ text: queued ? `Row #${id} is queued again.` : `Row #${id} is no longer failed.` })
})

bindButtonFamily(composer, failedUpdateRetryButtons, { groups: inHomeGroup, action: () => 'retry_update' }, async (ctx, { value: key }) => {
  const queued = await retryFailedUpdate(ctx.deps.db, key, ctx.project.id)
  ctx.log.info({ failedBotId: key.botId, failedUpdateId: key.updateId, queued, by: ctx.from.id }, 'failed update retry pressed')
  const shown = formatUpdateKey(key)
  await ctx.answerCallbackQuery({ text: queued ? `Update ${shown} will be handled again.` : `Update ${shown} is no longer failed.` })
})

export { composer as staffFailedFeature }
