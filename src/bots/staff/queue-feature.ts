import { Composer } from 'grammy'
import { queueAssignButtons } from '../../domain/buttons/queue.js'
import { assignFromQueue, queueListing } from '../../domain/owners/queue.js'
import { bindButtonFamily, inHomeGroup } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

// /queue itself is in the command registry (commands/queue.ts); its buttons are answered here.
bindButtonFamily(composer, queueAssignButtons, { groups: inHomeGroup, action: () => 'assign_owner' }, async (ctx, { value: button }) => {
  const outcome = await assignFromQueue(ctx.deps, ctx.project, { ...button, by: ctx.from.id })
  await ctx.answerCallbackQuery({ text: outcome.text, show_alert: !outcome.ok })
  if (!outcome.ok) return
  // The listing shows the queue as it is now.
  const listing = await queueListing(ctx.deps.db, ctx.project, ctx.deps.clock.now())
  await ctx.editMessageText(listing.text, { reply_markup: listing.keyboard }).catch((error: unknown) => ctx.log.debug({ err: error }, 'queue listing not edited'))
})

export { composer as staffQueueFeature }
