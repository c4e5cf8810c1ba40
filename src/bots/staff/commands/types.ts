import type { ChatTypeContext, CommandContext } from 'grammy'
import type { Message } from 'grammy/types'
import type { StaffRole } from '../../../config/index.js'
import type { TopicRole } from '../../../db/schema/index.js'
import type { Topic } from '../../../domain/customers.js'
import type { StaffGroup } from '../../../domain/project-runtime.js'
import type { Keyboard } from '../../../domain/buttons/keyboard.js'
import { answerInTopic } from '../../../domain/topic-notices.js'
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

/** Answers the command message in its topic (through the outbox: within the group's budget, in the topic's order). */
export async function answer(command: TopicCommand, text: string, extra: { reply_markup?: Keyboard } = {}): Promise<void> {
  const { ctx, topic, message } = command
  await answerInTopic(ctx.deps, ctx.project, topic, text, { replyTo: { messageId: message.message_id }, ...(extra.reply_markup ? { replyMarkup: extra.reply_markup } : {}) })
}

/** A command that works anywhere in a staff group (General included), not tied to a customer. */
export type GroupCommandHandler = (ctx: CommandContext<ChatTypeContext<BotContext, 'supergroup'>>) => Promise<void>

/** A command that works in the staff groups and in a private chat with one of the project's staff bots (presence). */
export type AnywhereCommandHandler = (ctx: CommandContext<BotContext>) => Promise<void>

/**
 * One staff command as the registry knows it: where it works, who may use it, its help text
 * (for /help and the README) and its menu line (setMyCommands). Who may act is decided by the
 * handler through domain/permissions; `who` says it in words and scopes the menus.
 */
export type StaffCommand = {
  name: string
  /** The staff groups (by role) where the command is offered. */
  groups: readonly TopicRole[]
  /** Where it works, in words (README "where"). */
  where: string
  /** Usage and what it does (README "command", /help). */
  usage: string
  who: { roles: 'staff' | readonly StaffRole[]; text: string }
  /** The command menu's line: at most 256 characters. */
  menu: string
} & ({ kind: 'topic'; handler: TopicCommandHandler } | { kind: 'group'; handler: GroupCommandHandler } | { kind: 'anywhere'; handler: AnywhereCommandHandler })
