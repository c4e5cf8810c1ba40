import { Api, GrammyError } from 'grammy'
import type { ChatMember, UserFromGetMe } from 'grammy/types'
import type { Config, ProjectConfig } from '../config/index.js'
import { STAFF_ROLES, type RoleDefinition } from '../domain/roles.js'
import { fail, pass, type CheckRow } from './check.js'

/** 'client', or a staff role's key (`STAFF_ROLES`). */
type BotRole = string

interface CheckedBot {
  role: BotRole
  api: Api
  me: UserFromGetMe
}

interface GroupToCheck {
  role: RoleDefinition
  title: string
  chatId: number
}

/** Rights a staff bot needs in its forum group, with the names Telegram's admin screen uses. */
const NEEDED_RIGHTS: ReadonlyArray<readonly [Right, string]> = [
  ['can_manage_topics', 'Manage topics'],
  ['can_delete_messages', 'Delete messages'],
  ['can_pin_messages', 'Pin messages'],
]
/** With `enforceMembership`, the bots remove strangers from their groups (banChatMember). */
const MEMBERSHIP_RIGHT: readonly [Right, string] = ['can_restrict_members', 'Ban users']
type Right = 'can_manage_topics' | 'can_delete_messages' | 'can_pin_messages' | 'can_restrict_members'

const neededRights = (project: ProjectConfig) => (project.enforceMembership ? [...NEEDED_RIGHTS, MEMBERSHIP_RIGHT] : NEEDED_RIGHTS)

const describe = (error: unknown) => (error instanceof GrammyError ? error.description : (error as Error).message)
const isPresent = (member: ChatMember) =>
  member.status === 'creator' || member.status === 'administrator' || member.status === 'member' || (member.status === 'restricted' && member.is_member)

/** Every Telegram-side check of one config: tokens, groups, rights, privacy, webhooks, staff membership. */
export async function checkTelegram(config: Config): Promise<CheckRow[]> {
  const rows: CheckRow[] = []
  const owners = new Map<number, string>()
  for (const project of config.projects) {
    const bots = await checkBots(config, project, rows, owners)
    const reachable: Array<{ group: GroupToCheck; listener: CheckedBot }> = []
    for (const group of groupsOf(project)) {
      const listener = await checkGroup(group, bots, rows, neededRights(project))
      if (listener) reachable.push({ group, listener })
    }
    await checkStaff(project, reachable, rows)
  }
  return rows
}

/** Every staff group of the project, with its role (the role registry's order: CS, CR teams, Treatment). */
function groupsOf(project: ProjectConfig): GroupToCheck[] {
  return STAFF_ROLES.flatMap((role) => role.groups(project).map((group) => ({ role, title: group.title, chatId: group.chatId })))
}

async function checkBots(config: Config, project: ProjectConfig, rows: CheckRow[], owners: Map<number, string>): Promise<CheckedBot[]> {
  const checked: CheckedBot[] = []
  for (const [role, configured] of Object.entries(project.bots) as Array<[BotRole, string | string[] | undefined]>) {
    // The client bot is one token; staff roles may list a pool.
    const tokens = typeof configured === 'string' ? [configured] : (configured ?? [])
    for (const [i, token] of tokens.entries()) {
      const where = `${project.key} ${role} bot${tokens.length > 1 ? ` #${i + 1}` : ''}`
      const api = new Api(token, { apiRoot: config.telegram.apiRoot })
      let me: UserFromGetMe
      try {
        me = await api.getMe()
      } catch (error) {
        rows.push(fail('bot', where, `getMe failed: ${describe(error)}`, 'check the token with @BotFather (/token) and the config'))
        continue
      }
      const other = owners.get(me.id)
      if (other) rows.push(fail('bot', where, `@${me.username} is also configured as ${other}`, 'give each role its own bot'))
      else rows.push(pass('bot', where, `@${me.username} (${me.id})`))
      owners.set(me.id, where)
      checked.push({ role, api, me })
      rows.push(await checkWebhook(config, api, me))
    }
  }
  return checked
}

async function checkWebhook(config: Config, api: Api, me: UserFromGetMe): Promise<CheckRow> {
  const subject = `@${me.username}`
  let info
  try {
    info = await api.getWebhookInfo()
  } catch (error) {
    return fail('webhook', subject, `getWebhookInfo failed: ${describe(error)}`, 'check the network path to the Bot API')
  }
  const pending = `${info.pending_update_count} pending update(s)`
  if (config.telegram.mode === 'polling') {
    return info.url
      ? fail(
          'webhook',
          subject,
          `a webhook is set (${info.url}); ${pending}`,
          'polling mode cannot read updates while a webhook is set: delete it (deleteWebhook) or use telegram.mode: webhook',
        )
      : pass('webhook', subject, `none (polling); ${pending}`)
  }
  if (info.last_error_message) {
    const when = info.last_error_date ? ` at ${new Date(info.last_error_date * 1000).toISOString()}` : ''
    return fail(
      'webhook',
      subject,
      `last error${when}: ${info.last_error_message}; ${pending}`,
      'make telegram.webhook.publicUrl reachable from Telegram over HTTPS and check the service logs',
    )
  }
  if (!info.url) return fail('webhook', subject, `not set yet; ${pending}`, 'start the service once: it sets the webhook at start-up')
  return pass('webhook', subject, `${info.url}; ${pending}`)
}

/** Checks a group and its bots' rights; returns the bot that can read it (for the staff checks). */
async function checkGroup(group: GroupToCheck, bots: CheckedBot[], rows: CheckRow[], rights: ReadonlyArray<readonly [Right, string]>): Promise<CheckedBot | undefined> {
  const pool = bots.filter((b) => b.role === group.role.key)
  const listener = pool[0]
  const title = `'${group.title}'`
  if (!listener) return undefined // the bot's own row already failed
  let chat
  try {
    chat = await listener.api.getChat(group.chatId)
  } catch (error) {
    rows.push(
      fail(
        'group',
        title,
        `@${listener.me.username} cannot see chat ${group.chatId}: ${describe(error)}`,
        `add @${listener.me.username} to ${title} and check its chat id in the config`,
      ),
    )
    return undefined
  }
  if (chat.type !== 'supergroup')
    rows.push(
      fail('group', title, `chat ${group.chatId} is a ${chat.type}, not a supergroup`, `turn on Topics in ${title} (Telegram converts it to a supergroup) and use the new chat id`),
    )
  else if (!chat.is_forum) rows.push(fail('group', title, 'topics are off', `turn on Topics in the settings of ${title}`))
  else rows.push(pass('group', title, `forum supergroup ${group.chatId}`))
  for (const bot of pool) rows.push(...(await checkRights(group, title, bot, bot === listener, rights)))
  return listener
}

async function checkRights(group: GroupToCheck, title: string, bot: CheckedBot, listens: boolean, rights: ReadonlyArray<readonly [Right, string]>): Promise<CheckRow[]> {
  const name = `@${bot.me.username}`
  let member: ChatMember
  try {
    member = await bot.api.getChatMember(group.chatId, bot.me.id)
  } catch (error) {
    return [fail('rights', `${name} in ${title}`, `getChatMember failed: ${describe(error)}`, `add ${name} to ${title}`)]
  }
  const rows: CheckRow[] = []
  const admin = member.status === 'administrator' || member.status === 'creator'
  if (!admin) {
    rows.push(
      fail('rights', `${name} in ${title}`, `${member.status}, not an administrator`, `make ${name} an admin of ${title} with ${rights.map(([, label]) => label).join(', ')}`),
    )
  } else {
    const missing = member.status === 'administrator' ? rights.filter(([right]) => !member[right]) : []
    rows.push(
      missing.length === 0
        ? pass('rights', `${name} in ${title}`, 'admin with the rights it needs')
        : fail(
            'rights',
            `${name} in ${title}`,
            `admin without ${missing.map(([, label]) => label).join(', ')}`,
            `give ${name} the right(s) ${missing.map(([, label]) => label).join(', ')} in ${title}`,
          ),
    )
  }
  // Only the listening bot of a pool reads staff messages; the others only post.
  if (listens) {
    if (admin) rows.push(pass('privacy', `${name} in ${title}`, 'admin: sees every staff message'))
    else if (bot.me.can_read_all_group_messages) rows.push(pass('privacy', `${name} in ${title}`, 'privacy mode off: sees every staff message'))
    else
      rows.push(
        fail(
          'privacy',
          `${name} in ${title}`,
          'privacy mode on and not an admin: it sees only commands, not staff messages',
          `make ${name} an admin of ${title}, or turn privacy mode off with @BotFather (/setprivacy → Disable)`,
        ),
      )
  }
  return rows
}

/**
 * Staff who should work in a project's groups: CS (and leads) in the CS group, Treatment in the
 * Treatment group, CR agents in at least one CR team's group.
 */
async function checkStaff(project: ProjectConfig, reachable: Array<{ group: GroupToCheck; listener: CheckedBot }>, rows: CheckRow[]): Promise<void> {
  for (const person of project.staff) {
    for (const definition of STAFF_ROLES) {
      const role = definition.key
      const groups = reachable.filter((g) => g.group.role === definition)
      if (!person.roles.some((r) => definition.staff.includes(r)) || groups.length === 0) continue
      const found: string[] = []
      const missing: string[] = []
      for (const { group, listener } of groups) {
        const status = await memberStatus(listener, group.chatId, person.id)
        ;(status.present ? found : missing).push(`'${group.title}'${status.present ? '' : ` (${status.detail})`}`)
      }
      const subject = `${person.name} (${person.id}) · ${role}`
      if (found.length > 0) rows.push(pass('staff', subject, `member of ${found.join(', ')}`))
      else if (groups.length === 1)
        rows.push(fail('staff', subject, `not a member of ${missing.join(', ')}`, `add ${person.name} to '${groups[0]!.group.title}', or remove the role from the staff list`))
      else
        rows.push(fail('staff', subject, `in none of the CR groups: ${missing.join(', ')}`, `add ${person.name} to their CR team's group, or remove the role from the staff list`))
    }
  }
}

async function memberStatus(bot: CheckedBot, chatId: number, userId: number): Promise<{ present: boolean; detail: string }> {
  try {
    const member = await bot.api.getChatMember(chatId, userId)
    return { present: isPresent(member), detail: member.status }
  } catch (error) {
    return { present: false, detail: describe(error) }
  }
}
