import { Composer } from 'grammy'
import { setClientBlocked } from '../../domain/relay/blocked.js'
import { syncEdit } from '../../domain/relay/edits.js'
import { syncFlooding } from '../../domain/relay/client-limits.js'
import { syncReaction } from '../../domain/relay/reactions.js'
import type { BotContext } from '../shared/context.js'
import { toInboundMessage, toInboundReaction } from '../shared/inbound.js'

const composer = new Composer<BotContext>()
const privateChat = composer.chatType('private')

// Reactions and edits count against the client's flood limit (each synced one is a job in the staff groups).
privateChat.on('edited_message', async (ctx) => {
  const editCopies = !syncFlooding(ctx.project, ctx.from.id, ctx.deps.clock.now().getTime())
  const outcome = await syncEdit(ctx.deps, ctx.project, ctx.self.id, toInboundMessage(ctx.editedMessage), { editCopies })
  ctx.log.debug({ outcome }, 'client edit')
})

privateChat.on('message_reaction', async (ctx) => {
  const user = ctx.messageReaction.user
  if (user && syncFlooding(ctx.project, user.id, ctx.deps.clock.now().getTime())) return void ctx.log.info({ userId: user.id }, 'client reaction over the flood limit; not synced')
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
