import { Composer } from 'grammy'
import { groupRefusal } from '../../domain/permissions.js'
import { staffGroupOf } from '../../domain/project-runtime.js'
import { syncEdit } from '../../domain/relay/edits.js'
import { syncReaction } from '../../domain/relay/reactions.js'
import type { BotContext } from '../shared/context.js'
import { toInboundMessage, toInboundReaction } from '../shared/inbound.js'

const composer = new Composer<BotContext>()
const group = composer.chatType('supergroup')

group.on('edited_message', async (ctx) => {
  const staffGroup = staffGroupOf(ctx.project, ctx.chat.id)
  // Only those who may work in the group: their messages are the ones relayed (see topic-message-feature).
  if (!staffGroup || groupRefusal(ctx.project, ctx.from.id, staffGroup)) return
  const outcome = await syncEdit(ctx.deps, ctx.project, ctx.self.id, toInboundMessage(ctx.editedMessage))
  ctx.log.debug({ outcome }, 'staff edit')
})

group.on('message_reaction', async (ctx) => {
  const user = ctx.messageReaction.user
  const staffGroup = staffGroupOf(ctx.project, ctx.chat.id)
  if (!staffGroup || !user || groupRefusal(ctx.project, user.id, staffGroup)) return
  const outcome = await syncReaction(ctx.deps, ctx.project, ctx.self.id, toInboundReaction(ctx.messageReaction))
  ctx.log.debug({ outcome }, 'staff reaction')
})

export { composer as staffSyncFeature }
