import { Composer } from 'grammy'
import { cancelBroadcast, startBroadcast } from '../../domain/broadcasts/broadcasts.js'
import { broadcastButtons } from '../../domain/buttons/broadcast.js'
import { bindButtonFamily, inHomeGroup } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

// /broadcast itself is in the command registry (commands/broadcast.ts); Confirm and Cancel on its
// confirmation are answered here, by CS leads only, in the CS group.
bindButtonFamily(composer, broadcastButtons, { groups: inHomeGroup, action: () => 'broadcast' }, async (ctx, { value }) => {
  const decision =
    value.action === 'go'
      ? await startBroadcast(ctx.deps, ctx.project, value.broadcastId, ctx.from.id)
      : await cancelBroadcast(ctx.deps, ctx.project, value.broadcastId, ctx.from.id)
  ctx.log.info({ broadcastId: value.broadcastId, action: value.action, ok: decision.ok, by: ctx.from.id }, 'broadcast button pressed')
  await ctx.answerCallbackQuery({ text: decision.ok ? decision.text : decision.reason, ...(decision.ok ? {} : { show_alert: true }) })
})

export { composer as staffBroadcastFeature }
