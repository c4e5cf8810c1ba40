import type { Api } from 'grammy'
import type { BotCommand, BotCommandScope } from 'grammy/types'
import type { Logger } from '../logger.js'
import { mapBounded } from '../shared/bounded.js'
import { staffGroups, type BotRef, type ProjectRuntime } from '../domain/project-runtime.js'
import { clientCommands } from './client/commands.js'
import { staffCommands } from './staff/commands/index.js'
import { commandMenu, privateCommandMenu } from './staff/commands/render.js'

export interface ProfileBot {
  api: Api
  project: ProjectRuntime
  self: BotRef
  /** The first bot of a pool: it listens to the group and answers commands, so only it has a menu. */
  primary: boolean
}

/** What one start-up sync changed; a value already right is only read. */
export interface ProfileSyncReport {
  set: string[]
  unchanged: number
  failed: string[]
}

/**
 * Sets each bot's command menus (client: private chats; staff: private chats for presence, each
 * of its groups, and a CS lead's fuller menu there) and the client bot's descriptions from the
 * config, calling the setter only where the getter returns something else, so a restart costs
 * only reads. Failures are logged and never stop the service. `concurrency` bots are synced at a time.
 */
export async function syncBotProfiles(bots: readonly ProfileBot[], logger: Logger, concurrency = 8): Promise<ProfileSyncReport> {
  const report: ProfileSyncReport = { set: [], unchanged: 0, failed: [] }
  // A few bots at a time, each bot's calls one after another: 400 bots' menus one by one take minutes at Telegram's round trip.
  await mapBounded(bots, concurrency, async (bot) => {
    const log = logger.child({ botId: bot.self.id, role: bot.self.role, project: bot.project.config.key })
    for (const step of await stepsFor(bot)) {
      try {
        if (await step.run()) {
          report.set.push(`${bot.self.id} ${step.name}`)
          log.info({ step: step.name }, 'bot profile updated')
        } else report.unchanged++
      } catch (error) {
        report.failed.push(`${bot.self.id} ${step.name}`)
        log.warn({ err: error, step: step.name }, 'could not update the bot profile')
      }
    }
  })
  return report
}

interface Step {
  name: string
  /** True when it had to set the value. */
  run(): Promise<boolean>
}

async function stepsFor(bot: ProfileBot): Promise<Step[]> {
  const { api, project } = bot
  if (bot.self.role === 'client') {
    const { description, shortDescription } = project.config.clientBot
    return [
      menuStep(api, { type: 'all_private_chats' }, clientCommands),
      ...(description === undefined
        ? []
        : [
            textStep(
              'description',
              () => api.getMyDescription().then((d) => d.description),
              () => api.setMyDescription(description),
              description,
            ),
          ]),
      ...(shortDescription === undefined
        ? []
        : [
            textStep(
              'short description',
              () => api.getMyShortDescription().then((d) => d.short_description),
              () => api.setMyShortDescription(shortDescription),
              shortDescription,
            ),
          ]),
    ]
  }
  // Every staff bot of a pool takes /online, /away and /offline in a private chat.
  const steps: Step[] = [menuStep(api, { type: 'all_private_chats' }, privateCommandMenu(staffCommands))]
  if (!bot.primary) return steps
  const leads = project.roster.members().filter((member) => member.roles.includes('cs_lead'))
  for (const group of staffGroups(project).filter((g) => g.role === bot.self.role)) {
    steps.push(menuStep(api, { type: 'chat', chat_id: group.chatId }, commandMenu(staffCommands, group.role, 'everyone')))
    for (const lead of leads) {
      // A chat_member scope needs a member of the chat: a lead outside this group gets no menu in it.
      const status = await api.getChatMember(group.chatId, lead.id).then(
        (m) => m.status,
        () => 'left',
      )
      if (status === 'left' || status === 'kicked') continue
      steps.push(menuStep(api, { type: 'chat_member', chat_id: group.chatId, user_id: lead.id }, commandMenu(staffCommands, group.role, 'lead')))
    }
  }
  return steps
}

function menuStep(api: Api, scope: BotCommandScope, commands: BotCommand[]): Step {
  return {
    name: `commands ${JSON.stringify(scope)}`,
    run: async () => {
      const current = await api.getMyCommands({ scope })
      if (sameCommands(current, commands)) return false
      await api.setMyCommands(commands, { scope })
      return true
    },
  }
}

function textStep(name: string, read: () => Promise<string>, write: () => Promise<unknown>, wanted: string): Step {
  return { name, run: async () => ((await read()) === wanted ? false : (await write(), true)) }
}

function sameCommands(a: readonly BotCommand[], b: readonly BotCommand[]): boolean {
  return a.length === b.length && a.every((c, i) => c.command === b[i]!.command && c.description === b[i]!.description)
}
