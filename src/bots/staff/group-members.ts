import type { Api } from 'grammy'
import type { ChatMember } from 'grammy/types'
import type { GroupMember, GroupMembers } from '../../domain/membership-sweep.js'

function toGroupMember(member: ChatMember): GroupMember {
  const { user } = member
  const admin = member.status === 'creator' || member.status === 'administrator'
  const present = admin || member.status === 'member' || (member.status === 'restricted' && member.is_member)
  return {
    userId: user.id,
    isBot: user.is_bot,
    name: [user.first_name, user.last_name].filter(Boolean).join(' '),
    username: user.username,
    status: admin ? 'admin' : present ? 'member' : 'absent',
    canRestrict: member.status === 'creator' || (member.status === 'administrator' && member.can_restrict_members),
  }
}

/** The membership sweep's view of Telegram: getChatMember and getChatAdministrators through the bot of each id. */
export function telegramGroupMembers(apis: ReadonlyMap<number, Api>): GroupMembers {
  const api = (botId: number) => {
    const found = apis.get(botId)
    if (!found) throw new Error(`No bot ${botId} for the membership sweep`)
    return found
  }
  return {
    member: async (botId, chatId, userId) => toGroupMember(await api(botId).getChatMember(chatId, userId)),
    administrators: async (botId, chatId) => (await api(botId).getChatAdministrators(chatId)).map(toGroupMember),
  }
}
