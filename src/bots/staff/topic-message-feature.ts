import { Composer } from 'grammy'
import { scopeOf } from '../../db/project-scope.js'
import { recordTopicChangeAndConversation } from '../../domain/conversation/resolve.js'
import { topicByThread } from '../../domain/customers.js'
import { groupRefusal, topicCommandRefusal } from '../../domain/permissions.js'
import { staffGroupOf, staffMember } from '../../domain/project-runtime.js'
import { relayStaffMessage } from '../../domain/relay/staff-message.js'
import { changesState, serviceEventOf } from '../../domain/service-messages.js'
import type { BotContext } from '../shared/context.js'
import { toInboundMessage } from '../shared/inbound.js'
import { topicCommands } from './commands/index.js'
import { answer } from './commands/types.js'
import { firstRefusalInWindow } from './refusal-notices.js'

const composer = new Composer<BotContext>()
const group = composer.chatType('supergroup')

/**
 * Staff messages inside a customer's topic. General, the Onboarding topic, unknown topics,
 * service messages and people not on the roster are never relayed.
 */
group.on('message', async (ctx) => {
  const message = ctx.message
  const staffGroup = staffGroupOf(ctx.project, ctx.chat.id)
  if (!staffGroup || !message.is_topic_message || !message.message_thread_id) return
  const service = serviceEventOf(message)
  if (!service && !staffMember(ctx.project, ctx.from.id)) {
    ctx.log.debug({ userId: ctx.from.id }, 'message by someone not on the roster ignored')
    return
  }
  const topic = await topicByThread(ctx.deps.db, scopeOf(ctx.project), ctx.chat.id, message.message_thread_id)
  if (!topic) return
  if (service && changesState(service) && groupRefusal(ctx.project, ctx.from.id, staffGroup)) {
    // A close or reopen by an admin who is not this group's staff: recorded nowhere, no rating prompt.
    ctx.log.warn({ topicId: topic.id, service, by: ctx.from.id }, 'topic change by someone not on the group’s staff ignored')
    return
  }
  if (service) {
    // A pin, a rename, a close…: never relayed; a close or reopen by hand is recorded (the CR topic's resolves or reopens the conversation).
    const change = await recordTopicChangeAndConversation(ctx.deps, ctx.project, topic, toInboundMessage(message), ctx.from.id)
    ctx.log.info({ topicId: topic.id, service, change, by: ctx.from.id }, 'service message in a customer topic')
    return
  }
  const command = /^\/([a-z_]+)(@\w+)?(?:\s+([\s\S]*))?$/i.exec(message.text ?? '')
  if (command) {
    // Commands are handled, never relayed; one addressed to another bot is not ours.
    if (command[2] && command[2].slice(1).toLowerCase() !== ctx.self.username.toLowerCase()) return
    const known = topicCommands[command[1]!.toLowerCase()]
    if (known) {
      const request = { ctx, message, topic, group: staffGroup, args: (command[3] ?? '').trim() }
      // Every topic command needs the group's role (and team), and a topic that still speaks for the customer.
      const refusal = topicCommandRefusal(ctx.project, ctx.from.id, staffGroup, topic)
      if (refusal) return answer(request, refusal)
      await known.handler(request)
      return
    }
    await ctx.reply(`Unknown command /${command[1]}. /help lists the commands here.`, { reply_parameters: { message_id: message.message_id } })
    return
  }
  const refusal = groupRefusal(ctx.project, ctx.from.id, staffGroup)
  if (refusal) {
    // Signed with this group's label, the message would speak for a team the sender is not in.
    ctx.log.info({ topicId: topic.id, userId: ctx.from.id }, 'message by staff outside the group’s role or team not relayed')
    if (firstRefusalInWindow(ctx.project, ctx.chat.id, ctx.from.id)) await answer({ ctx, message, topic, group: staffGroup, args: '' }, refusal)
    return
  }
  const outcome = await relayStaffMessage(ctx.deps, ctx.project, staffGroup, topic, toInboundMessage(message))
  ctx.log.debug({ topicId: topic.id, outcome }, 'staff message')
  // Posting in a customer topic counts as online (presence); after the relay, never failing it.
  await ctx.deps.activity
    .note(ctx.deps.db, ctx.from.id, ctx.deps.clock.now())
    .catch((error) => ctx.log.warn({ err: error, userId: ctx.from.id }, 'could not record the agent’s activity'))
})

export { composer as staffTopicMessageFeature }
