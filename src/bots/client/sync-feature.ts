import { Composer } from 'grammy'
import { setClientBlocked } from '../../domain/relay/blocked.js'
import { syncEdit } from '../../domain/relay/edits.js'
import { syncReaction } from '../../domain/relay/reactions.js'
import type { BotContext } from '../shared/context.js'
import { toInboundMessage, toInboundReaction } from '../shared/inbound.js'

const composer = new Composer<BotContext>()
const privateChat = composer.chatType('private')

privateChat.on('edited_message', async (ctx) => {
  const outcome = await syncEdit(ctx.deps, ctx.project, ctx.self.id, toInboundMessage(ctx.editedMessage))
  ctx.log.debug({ outcome }, 'client edit')
})

privateChat.on('message_reaction', async (ctx) => {
  const outcome = await syncReaction(ctx.deps, ctx.project, ctx.self.id, toInboundReaction(ctx.messageReaction))
  ctx.log.debug({ outcome }, 'client reaction')
})

privateChat.on('my_chat_member', async (ctx) => {
  const status = ctx.myChatMember.new_chat_member.status
  const blocked = status === 'kicked'
  if (blocked || status === 'member') {
    const changed = await setClientBlocked(ctx.deps, ctx.project, ctx.myChatMember.from.id, blocked)
    ctx.log.info({ blocked, changed }, 'client bot membership changed')
  }
})

export { composer as clientSyncFeature }
