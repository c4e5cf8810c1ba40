import { Composer } from 'grammy'
import { staffGroupOf, staffMember } from '../../domain/project-runtime.js'
import { syncEdit } from '../../domain/relay/edits.js'
import { syncReaction } from '../../domain/relay/reactions.js'
import type { BotContext } from '../shared/context.js'
import { toInboundMessage, toInboundReaction } from '../shared/inbound.js'

const composer = new Composer<BotContext>()
const group = composer.chatType('supergroup')

group.on('edited_message', async (ctx) => {
  if (!staffGroupOf(ctx.project, ctx.chat.id) || !staffMember(ctx.project, ctx.from.id)) return
  const outcome = await syncEdit(ctx.deps, ctx.project, ctx.self.id, toInboundMessage(ctx.editedMessage))
  ctx.log.debug({ outcome }, 'staff edit')
})

group.on('message_reaction', async (ctx) => {
  const user = ctx.messageReaction.user
  if (!staffGroupOf(ctx.project, ctx.chat.id) || !user || !staffMember(ctx.project, user.id)) return
  const outcome = await syncReaction(ctx.deps, ctx.project, ctx.self.id, toInboundReaction(ctx.messageReaction))
  ctx.log.debug({ outcome }, 'staff reaction')
})

export { composer as staffSyncFeature }
