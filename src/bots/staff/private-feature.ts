import { Composer } from 'grammy'
import { staffMember } from '../../domain/project-runtime.js'
import type { BotContext } from '../shared/context.js'
import { staffCommands } from './commands/index.js'

const composer = new Composer<BotContext>()
const privateChat = composer.chatType('private')

/** The commands a staff bot takes in a private chat (/online, /away, /offline): the registry's `anywhere` commands. */
const privateCommands = staffCommands.flatMap((command) => (command.kind === 'anywhere' ? [command] : []))

for (const command of privateCommands) privateChat.command(command.name, (ctx) => command.handler(ctx))

// Anything else in a private chat: the project's staff get a hint, strangers nothing.
privateChat.on('message', async (ctx) => {
  if (!staffMember(ctx.project, ctx.from.id)) return
  await ctx.reply(`Here I only take ${privateCommands.map((command) => `/${command.name}`).join(', ')}; everything else happens in the staff groups.`)
})

export { composer as staffPrivateFeature }
