import type { TopicRole } from '../../../db/schema/index.js'
import { staffGroupOf } from '../../../domain/project-runtime.js'
import { STAFF_ROLES } from '../../../domain/roles.js'
import { askCommand } from './ask.js'
import { auditCommand } from './audit.js'
import { banCommand, unbanCommand } from './ban.js'
import { broadcastCommand } from './broadcast.js'
import { cannedCommand, sendCannedCommand } from './canned.js'
import { deleteCommand } from './delete.js'
import { failedCommand } from './failed.js'
import { findCommand } from './find.js'
import { historyCommand } from './history.js'
import { kbCommand } from './kb.js'
import { linkCommand, linksCommand } from './links.js'
import { presenceCommand } from './presence.js'
import { noteCommand, notesCommand, tagCommand, tagsCommand, untagCommand } from './profile.js'
import { queueCommand } from './queue.js'
import { reassignCommand } from './reassign.js'
import { reloadCommand } from './reload.js'
import { resolveCommand } from './resolve.js'
import { summaryCommand } from './summary.js'
import { riskCommand } from './risk.js'
import { statsCommand } from './stats.js'
import { renderHelp } from './render.js'
import { transferCommand } from './transfer.js'
import { trCommand } from './translation.js'
import { treatmentCommand } from './treatment.js'
import { mineCommand, whoCommand } from './who.js'
import type { GroupCommandHandler, StaffCommand, TopicCommandHandler } from './types.js'

/** Every staff role's groups (the role registry). */
const ALL = STAFF_ROLES.map((role) => role.key) as readonly TopicRole[]

/** `/help`: the commands of this group, with who may use them, rendered from the registry. */
const helpCommand: GroupCommandHandler = async (ctx) => {
  const group = staffGroupOf(ctx.project, ctx.chat.id)
  if (!group) return
  for (const page of renderHelp(staffCommands, group.role)) await ctx.reply(page, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } })
}

/**
 * Every staff command, in one place: the topic-message feature runs the topic commands, the
 * group-commands feature the others, /help and the README table are rendered from it, and the
 * command menus (setMyCommands) are set from it at start-up. Each handler lives in its own file.
 */
export const staffCommands: readonly StaffCommand[] = [
  {
    name: 'delete',
    kind: 'topic',
    handler: deleteCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: '`/delete` as a reply to a staff message or any of its mirrors: delete it everywhere (48 h)',
    who: { roles: 'staff', text: "the author; CS leads for anyone's" },
    menu: 'Reply to a staff message: delete it everywhere',
  },
  {
    name: 'history',
    kind: 'topic',
    handler: historyCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: '`/history`: the assignment log (onboarding, moves, owners, Treatment, resolved with the rating, reopened)',
    who: { roles: 'staff', text: 'staff' },
    menu: 'Who looked after this customer, and when',
  },
  {
    name: 'resolve',
    kind: 'topic',
    handler: resolveCommand,
    groups: ALL,
    where: "a customer's topic",
    usage:
      "`/resolve`: mark the conversation resolved: every topic told, the CR topic closed, the client asked for a rating (`resolve.askRating`); the client's next message reopens it",
    who: { roles: ['cs_lead', 'cr'], text: "the customer's owner; CS leads" },
    menu: 'Mark the conversation resolved (closes the CR topic)',
  },
  {
    name: 'reassign',
    kind: 'topic',
    handler: reassignCommand,
    groups: ['cs'],
    where: "the customer's CS topic",
    usage: '`/reassign [team] [now|tonight|YYYY-MM-DD HH:MM]` (UTC), or the **🔀 Reassign CR** button on the pinned profile card',
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: 'Move the customer to another CR team',
  },
  {
    name: 'treatment',
    kind: 'topic',
    handler: treatmentCommand,
    groups: ALL,
    where: "the customer's CS or CR topic (`close`: also the Treatment topic)",
    usage: '`/treatment`: open a Treatment topic (asks for a confirmation first); `/treatment close`: retire and close it',
    who: { roles: ['cs', 'cs_lead', 'cr', 'treatment'], text: 'CS and CR staff (`close`: staff)' },
    menu: 'Open a Treatment topic; /treatment close ends it',
  },
  {
    name: 'ban',
    kind: 'topic',
    handler: banCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: '`/ban`: stop relaying the client (stored, not relayed; told once)',
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: "Stop relaying this client's messages",
  },
  {
    name: 'unban',
    kind: 'topic',
    handler: unbanCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: "`/unban`: relay the client's messages again",
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: "Relay this client's messages again",
  },
  {
    name: 'tr',
    kind: 'topic',
    handler: trCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: '`/tr off`: no translation for this customer, either way (`projects[].translation`); `/tr on`: translate again',
    who: { roles: 'staff', text: 'staff' },
    menu: 'Translation for this customer: /tr off or /tr on',
  },
  {
    name: 'tag',
    kind: 'topic',
    handler: tagCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: '`/tag vip refund`: tag the customer (a-z, 0-9, _ and -; per project; shown on the profile card)',
    who: { roles: 'staff', text: 'staff' },
    menu: 'Tag this customer: /tag vip refund',
  },
  {
    name: 'untag',
    kind: 'topic',
    handler: untagCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: '`/untag refund`: remove tags',
    who: { roles: 'staff', text: 'staff' },
    menu: 'Remove tags: /untag refund',
  },
  {
    name: 'tags',
    kind: 'topic',
    handler: tagsCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: "`/tags`: the customer's tags",
    who: { roles: 'staff', text: 'staff' },
    menu: "This customer's tags",
  },
  {
    name: 'note',
    kind: 'topic',
    handler: noteCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: '`/note <text>`: a dated note on the profile (the card shows the latest 3)',
    who: { roles: 'staff', text: 'staff' },
    menu: 'Add a note to the profile: /note <text>',
  },
  {
    name: 'notes',
    kind: 'topic',
    handler: notesCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: "`/notes`: all the customer's notes, newest first",
    who: { roles: 'staff', text: 'staff' },
    menu: "All notes on this customer's profile",
  },
  {
    name: 'find',
    kind: 'group',
    handler: findCommand,
    groups: ['cs'],
    where: 'the CS group',
    usage: '`/find tag:vip` or `/find <email|account id|name|username>`: matching customers of the project (up to 20) with links to their CS topics',
    who: { roles: ['cs', 'cs_lead'], text: 'CS staff' },
    menu: 'Find customers by tag, email, account or name',
  },
  {
    name: 'c',
    kind: 'topic',
    handler: sendCannedCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: '`/c <name>`: send the canned reply to the client as your answer (attributed and mirrored like a typed one)',
    who: { roles: 'staff', text: 'staff' },
    menu: 'Send a canned reply: /c <name>',
  },
  {
    name: 'ask',
    kind: 'topic',
    handler: askCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: '`/ask <question>`: the assistant answers from the knowledge base, with its sources, here for staff only (never sent to the client)',
    who: { roles: 'staff', text: 'staff' },
    menu: 'Ask the assistant (staff only): /ask <question>',
  },
  {
    name: 'canned',
    kind: 'group',
    handler: cannedCommand,
    groups: ALL,
    where: 'any staff group',
    usage: "`/canned list`: the project's canned replies; `/canned add <name> <text>` (replaces one of that name), `/canned remove <name>`",
    who: { roles: 'staff', text: 'staff (`add`, `remove`: CS leads)' },
    menu: 'Canned replies: list (CS leads: add, remove)',
  },
  {
    name: 'risk',
    kind: 'group',
    handler: riskCommand,
    groups: ALL,
    where: 'any staff group',
    usage:
      "`/risk list`: the project's risk phrases; `/risk add <name> <confirm|block> <pattern>` (a phrase, or `/regex/`; adds to the phrase of that name), `/risk remove <name>`",
    who: { roles: 'staff', text: 'staff (`add`, `remove`: CS leads)' },
    menu: 'Risk phrases: list (CS leads: add, remove)',
  },
  {
    name: 'summary',
    kind: 'topic',
    handler: summaryCommand,
    groups: ALL,
    where: "a customer's topic",
    usage: "`/summary`: the assistant's summary of the conversation, posted to the topic (staff only; needs an assistant)",
    who: { roles: 'staff', text: 'staff' },
    menu: "The assistant's summary of this conversation",
  },
  {
    name: 'kb',
    kind: 'group',
    handler: kbCommand,
    groups: ['cs', 'cr'],
    where: "a customer's topic (`add`); the CS group or a CR team group",
    usage: '`/kb add` (a reply to a staff answer), `/kb list`, `/kb remove <id>`: approved answers in the knowledge base',
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: 'Knowledge base: reply /kb add to a staff answer; list, remove',
  },
  {
    name: 'failed',
    kind: 'group',
    handler: failedCommand,
    groups: ['cs'],
    where: 'the CS group',
    usage: "`/failed`: the project's dead outbox rows and failed updates, with a retry button per row",
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: 'Failed deliveries and updates, with retry buttons',
  },
  {
    name: 'audit',
    kind: 'group',
    handler: auditCommand,
    groups: ['cs'],
    where: 'the CS group',
    usage: '`/audit [days]`: the audited changes of the last days (7 by default): assignments, transfers, deletes, bans, API writes, counted by kind and by agent',
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: 'Audit trail: changes by kind and by agent',
  },
  {
    name: 'stats',
    kind: 'group',
    handler: statsCommand,
    groups: ['cs'],
    where: 'the CS group',
    usage:
      '`/stats [days]`: the last days (7 by default): new customers by source, client and staff messages, first-response, response and resolution times (p50/p90), CSAT, unanswered customers, transfers, per agent and per day',
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: 'Statistics: messages, response times, CSAT, per agent and day',
  },
  {
    name: 'broadcast',
    kind: 'group',
    handler: broadcastCommand,
    groups: ['cs'],
    where: "the CS group's Onboarding topic",
    usage:
      '`/broadcast [segment]` as a reply to a message: send it to `all` (the default), `tag:<tag>`, `team:<cr team>`, `link:<code>` or `lang:<code>` (never blocked or banned clients), after a confirmation with the count; progress is edited into it, and its Cancel stops what is unsent',
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: 'Reply to a message: send it to a segment of clients',
  },
  {
    name: 'queue',
    kind: 'group',
    handler: queueCommand,
    groups: ['cs'],
    where: 'the CS group',
    usage: '`/queue`: customers waiting for a CR owner, oldest first, with their waiting time and a button per agent of their team who has room',
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: 'Customers waiting for a CR owner, with assign buttons',
  },
  {
    name: 'link',
    kind: 'group',
    handler: linkCommand,
    groups: ['cs'],
    where: 'the CS group',
    usage:
      '`/link new <name> [utm_key=value …]`: a diversion link `<links.publicUrl>/l/<code>` that leads to the client bot and attributes whoever starts it; `/link disable <code>`: it answers 404 from then on',
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: 'Make a diversion link: /link new <name>',
  },
  {
    name: 'links',
    kind: 'group',
    handler: linksCommand,
    groups: ['cs'],
    where: 'the CS group',
    usage: '`/links [days]`: per link, clicks, unique visitors, starts, onboarded customers and conversion (onboarded ÷ visitors), by day (UTC; 30 days unless given)',
    who: { roles: ['cs_lead'], text: 'CS leads' },
    menu: 'Diversion links: clicks, starts, onboarded customers',
  },
  {
    name: 'reload',
    kind: 'group',
    handler: reloadCommand,
    groups: ['cs'],
    where: 'the CS group',
    usage: "`/reload`: read the config file's agents and staff lists again (a bad file keeps the current ones; why is logged, not posted); also on SIGHUP",
    // Offered in the leads' menu; only the deployment's operators may use it.
    who: { roles: ['cs_lead'], text: "the deployment's `operators`" },
    menu: 'Reload the agents and staff lists from the config file',
  },
  {
    name: 'online',
    kind: 'anywhere',
    handler: presenceCommand('online'),
    groups: ALL,
    where: 'any staff group, or a private chat with a staff bot',
    usage: '`/online`: you take customers now (one status per agent, in every brand; with none set, a post in a customer topic counts as online for `presence.activeMinutes`)',
    who: { roles: 'staff', text: "the project's staff" },
    menu: 'Set your status: online',
  },
  {
    name: 'away',
    kind: 'anywhere',
    handler: presenceCommand('away'),
    groups: ALL,
    where: 'any staff group, or a private chat with a staff bot',
    usage: '`/away`: you are away for a while',
    who: { roles: 'staff', text: "the project's staff" },
    menu: 'Set your status: away',
  },
  {
    name: 'offline',
    kind: 'anywhere',
    handler: presenceCommand('offline'),
    groups: ALL,
    where: 'any staff group, or a private chat with a staff bot',
    usage: '`/offline`: you are off work',
    who: { roles: 'staff', text: "the project's staff" },
    menu: 'Set your status: offline',
  },
  {
    name: 'who',
    kind: 'group',
    handler: whoCommand,
    groups: ['cs', 'cr'],
    where: 'the CS group or a CR team group',
    usage: "`/who`: the team's agents (in the CS group: every CR team) with their status and open customers",
    who: { roles: 'staff', text: 'staff' },
    menu: "Who is on: the team's agents, status and open customers",
  },
  {
    name: 'mine',
    kind: 'group',
    handler: mineCommand,
    groups: ALL,
    where: 'any staff group',
    usage: '`/mine`: your open customers in this project, with links to their topics',
    who: { roles: 'staff', text: 'staff' },
    menu: 'Your open customers, with links to their topics',
  },
  {
    name: 'transfer',
    kind: 'topic',
    handler: transferCommand,
    groups: ALL,
    where: "a customer's topic",
    usage:
      "`/transfer [reason]`: buttons of the other agents of the customer's CR team (CS leads: the other CR teams too, moved now with the history replayed); the new owner and the old are told, and `/history` shows it",
    who: { roles: ['cs_lead', 'cr'], text: "the customer's owner; CS leads" },
    menu: 'Hand this customer to another agent: /transfer [reason]',
  },
  {
    name: 'help',
    kind: 'group',
    handler: helpCommand,
    groups: ALL,
    where: 'any staff group',
    usage: '`/help`: the commands of this group and who may use them',
    who: { roles: 'staff', text: 'anyone in the group' },
    menu: 'The commands of this group and who may use them',
  },
]

/** The commands that work inside a customer's topic, by name. */
export const topicCommands: Record<string, { handler: TopicCommandHandler; command: StaffCommand }> = Object.fromEntries(
  staffCommands.flatMap((command) => (command.kind === 'topic' ? [[command.name, { handler: command.handler, command }]] : [])),
)
