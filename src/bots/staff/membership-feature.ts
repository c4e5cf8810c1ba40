import { Composer } from 'grammy'
import { removeUnauthorisedMember } from '../../domain/membership.js'
import { staffGroupOf } from '../../domain/project-runtime.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/** Statuses of someone inside the group (a restricted member may still be in it). */
const inside = (member: { status: string; is_member?: boolean }) => member.status === 'member' || (member.status === 'restricted' && member.is_member === true)

// chat_member arrives only with enforceMembership (allowed_updates, app.ts); the group's own
// listening bot answers it, so a person is removed once.
composer.on('chat_member', async (ctx) => {
  const update = ctx.chatMember
  const group = staffGroupOf(ctx.project, update.chat.id)
  if (!group || group.role !== ctx.self.role || inside(update.old_chat_member) || !inside(update.new_chat_member)) return
  const user = update.new_chat_member.user
  const outcome = await removeUnauthorisedMember(ctx.deps, ctx.project, ctx.self.id, {
    chatId: update.chat.id,
    userId: user.id,
    isBot: user.is_bot,
    name: [user.first_name, user.last_name].filter(Boolean).join(' '),
    username: user.username,
  })
  ctx.log.info({ userId: user.id, chatId: update.chat.id, outcome }, 'member joined a staff group')
})

export { composer as staffMembershipFeature }
