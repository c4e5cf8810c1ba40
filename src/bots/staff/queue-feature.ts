import { Composer } from 'grammy'
import { decodeQueueAssign } from '../../domain/buttons/queue.js'
import { assignFromQueue, queueListing } from '../../domain/owners/queue.js'
import { NOT_THIS_MESSAGE, pressedMessage } from '../buttons/pressed-message.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

// /queue itself is in the command registry (commands/queue.ts); its buttons are answered here.
composer.callbackQuery(/^qa:/, async (ctx) => {
  const button = decodeQueueAssign(ctx.callbackQuery.data)
  if (!button) return ctx.answerCallbackQuery({ text: 'This button is no longer valid.', show_alert: true })
  if (!pressedMessage(ctx.callbackQuery, ctx.self.id)) return ctx.answerCallbackQuery({ text: NOT_THIS_MESSAGE, show_alert: true })
  const outcome = await assignFromQueue(ctx.deps, ctx.project, { ...button, by: ctx.from.id })
  await ctx.answerCallbackQuery({ text: outcome.text, show_alert: !outcome.ok })
  if (!outcome.ok) return
  // The listing shows the queue as it is now.
  const listing = await queueListing(ctx.deps.db, ctx.project, ctx.deps.clock.now())
  await ctx.editMessageText(listing.text, { reply_markup: listing.keyboard }).catch((error: unknown) => ctx.log.debug({ err: error }, 'queue listing not edited'))
})

export { composer as staffQueueFeature }
