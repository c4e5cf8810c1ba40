import type { Message } from 'grammy/types'
import type { Topic } from '../../../domain/customers.js'
import type { StaffGroup } from '../../../domain/project-runtime.js'
import type { BotContext } from '../../shared/context.js'

/** What a staff command inside a customer's topic gets to work with. */
export interface TopicCommand {
  ctx: BotContext
  message: Message
  topic: Topic
  group: StaffGroup
  /** Text after the command name, trimmed. */
  args: string
}

export type TopicCommandHandler = (command: TopicCommand) => Promise<void>

/** Answers the command message in its topic. */
export async function answer(command: TopicCommand, text: string, extra: Record<string, unknown> = {}): Promise<void> {
  await command.ctx.reply(text, { reply_parameters: { message_id: command.message.message_id, allow_sending_without_reply: true }, ...extra })
}
