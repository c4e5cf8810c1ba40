import { queueListing } from '../../../domain/owners/queue.js'
import { refusalFor } from '../../../domain/permissions.js'
import type { GroupCommandHandler } from './types.js'

/** `/queue` in the CS group, for CS leads: customers waiting for an owner, with a button per agent who can take each (answered in queue-feature). */
export const queueCommand: GroupCommandHandler = async (ctx) => {
  const refusal = refusalFor(ctx.project, ctx.from.id, 'see_queue')
  if (refusal) {
    await ctx.reply(refusal, { reply_parameters: { message_id: ctx.msg.message_id } })
    return
  }
  const listing = await queueListing(ctx.deps.db, ctx.project, ctx.deps.clock.now())
  await ctx.reply(listing.text, listing.keyboard.inline_keyboard.length > 0 ? { reply_markup: listing.keyboard } : {})
}
