import { Composer } from 'grammy'
import { staffGroupOf } from '../../domain/project-runtime.js'
import type { BotContext } from '../shared/context.js'
import { staffCommands } from './commands/index.js'

const composer = new Composer<BotContext>()
const group = composer.chatType('supergroup')

// The registry's group-wide commands (/failed, /help, /online…), each only in the groups it is offered in;
// mounted before the topic messages, so one typed inside a topic is handled here too.
for (const command of staffCommands) {
  if (command.kind === 'topic') continue
  group.command(command.name, async (ctx, next) => {
    const staffGroup = staffGroupOf(ctx.project, ctx.chat.id)
    if (!staffGroup || !command.groups.includes(staffGroup.role)) return next()
    await command.handler(ctx)
  })
}

export { composer as staffGroupCommandsFeature }
