import type { TopicRole } from '../../../db/schema/index.js'
import type { StaffCommand } from './types.js'

/** A command only CS leads may use: its menu line is shown to them alone. */
export function isLeadOnly(command: StaffCommand): boolean {
  return command.who.roles !== 'staff' && command.who.roles.every((role) => role === 'cs_lead')
}

/** The README's "Staff commands" table (between its markers), one row per command. */
export function renderCommandTable(commands: readonly StaffCommand[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|')
  const rows = commands.map((c) => `| ${cell(c.where)} | ${cell(c.usage)} | ${cell(c.who.text)} |`)
  return ['| where | command | who |', '|---|---|---|', ...rows].join('\n')
}

/** Telegram's limit on a message's text (Bot API `sendMessage`: 1-4096 characters after entities parsing). */
const MESSAGE_LIMIT = 4096

/**
 * What /help answers in a group of this role: each command offered there, with who may use it,
 * in as many messages as Telegram's length limit needs (a line is never cut).
 */
export function renderHelp(commands: readonly StaffCommand[], role: TopicRole): string[] {
  const lines = commands.filter((c) => c.groups.includes(role)).map((c) => `${plain(c.usage)} — ${plain(c.who.text)}`.slice(0, MESSAGE_LIMIT))
  const pages: string[] = []
  let page = 'Commands here:'
  for (const line of lines) {
    if (page.length + 1 + line.length > MESSAGE_LIMIT) {
      pages.push(page)
      page = line
    } else page += `\n${line}`
  }
  return [...pages, page]
}

/** The menu (setMyCommands) of a group of this role: for everyone, or for a CS lead (everything). */
export function commandMenu(commands: readonly StaffCommand[], role: TopicRole, audience: 'everyone' | 'lead'): Array<{ command: string; description: string }> {
  return commands.filter((c) => c.groups.includes(role) && (audience === 'lead' || !isLeadOnly(c))).map((c) => ({ command: c.name, description: c.menu }))
}

/** The menu of a staff bot's private chats: the commands it takes there (/online, /away, /offline). */
export function privateCommandMenu(commands: readonly StaffCommand[]): Array<{ command: string; description: string }> {
  return commands.filter((c) => c.kind === 'anywhere').map((c) => ({ command: c.name, description: c.menu }))
}

/** Markdown to plain text for a chat message (backticks and bold markers dropped). */
function plain(text: string): string {
  return text.replace(/`/g, '').replace(/\*\*/g, '')
}
