import { Composer } from 'grammy'
import type { InlineKeyboardMarkup } from 'grammy/types'
import { findCustomer } from '../../domain/customers.js'
import { customerName, type Customer } from '../../domain/customers.js'
import { isCsLead, staffMember, type ProjectRuntime } from '../../domain/project-runtime.js'
import { executeReassignment } from '../../domain/reassignment/execute.js'
import { cancelReassignment, scheduleReassignment } from '../../domain/reassignment/schedule.js'
import { describeDue, dueAt, type ReassignWhen } from '../../domain/reassignment/when.js'
import type { BotContext } from '../shared/context.js'

/** Button data: ra:m:<customer> (menu), ra:t:<customer>:<team>, ra:w:<customer>:<team>:<now|tonight>, ra:c:<reassignment>. */
const DATA = /^ra:(?:(m):(\d{1,15})|(t):(\d{1,15}):([a-z0-9_-]{1,24})|(w):(\d{1,15}):([a-z0-9_-]{1,24}):(now|tonight)|(c):(\d{1,15}))$/

export function teamKeyboard(project: ProjectRuntime, customer: Customer): InlineKeyboardMarkup {
  const teams = project.config.groups.cr.filter((team) => team.key !== customer.crTeam)
  return { inline_keyboard: teams.map((team) => [{ text: `→ ${team.title}`, callback_data: `ra:t:${customer.id}:${team.key}` }]) }
}

/** Schedules (and for "now" runs) a move, and says what happened in one line. */
export async function reassign(ctx: BotContext, customer: Customer, teamKey: string, when: ReassignWhen): Promise<{ text: string; cancelId?: number }> {
  const due = dueAt(when, ctx.project.config.reassignment.tonightHourUtc)
  const outcome = await scheduleReassignment(ctx.deps, ctx.project, { customerId: customer.id, toTeam: teamKey, dueAt: due, requestedBy: ctx.from!.id, source: 'bot' })
  if (!outcome.ok) return { text: `Not moved: ${outcome.reason}` }
  const team = ctx.project.config.groups.cr.find((t) => t.key === teamKey)!
  const by = staffMember(ctx.project, ctx.from!.id)?.name ?? 'a lead'
  if (when.kind === 'now') {
    // Run it in the background: the CS group's updates are handled one at a time, and a move
    // with a long history would hold up every later command. The cron job retries it if this fails.
    const { deps, project } = ctx
    void executeReassignment(deps, project, outcome.reassignment.id).catch((error) => deps.logger.error({ err: error, reassignmentId: outcome.reassignment.id }, 'reassignment failed; the cron job will try again'))
    return { text: `🔀 ${customerName(customer)} is moving to ${team.title} (by ${by}); the history is being replayed.` }
  }
  return { text: `🗓 Scheduled by ${by}: move ${customerName(customer)} to ${team.title} at ${describeDue(due)}.`, cancelId: outcome.reassignment.id }
}

const composer = new Composer<BotContext>()

/** The reassignment buttons (on the CS profile card and the /reassign prompt); CS leads only. */
composer.callbackQuery(DATA, async (ctx) => {
  const m = ctx.match
  if (!isCsLead(ctx.project, ctx.from.id)) {
    await ctx.answerCallbackQuery({ text: 'Only CS leads can move customers between CR teams.', show_alert: true })
    return
  }
  if (m[10]) {
    const cancelled = await cancelReassignment(ctx.deps, ctx.project, Number(m[11]), ctx.from.id)
    await ctx.answerCallbackQuery({ text: cancelled ? 'Cancelled.' : 'It already ran or was cancelled.' })
    if (cancelled) await ctx.editMessageText(`✖ Planned move cancelled by ${staffMember(ctx.project, ctx.from.id)?.name ?? 'a lead'}.`)
    return
  }
  const customer = await findCustomer(ctx.deps.db, Number(m[2] ?? m[4] ?? m[7]))
  if (!customer || customer.projectId !== ctx.project.id) {
    await ctx.answerCallbackQuery({ text: 'This customer no longer exists.', show_alert: true })
    return
  }
  if (m[1]) {
    await ctx.answerCallbackQuery()
    await ctx.reply(`Move ${customerName(customer)} to which CR team?`, { reply_markup: teamKeyboard(ctx.project, customer), message_thread_id: ctx.callbackQuery.message?.message_thread_id })
    return
  }
  if (m[3]) {
    const team = ctx.project.config.groups.cr.find((t) => t.key === m[5])
    if (!team) {
      await ctx.answerCallbackQuery({ text: 'That CR team no longer exists.', show_alert: true })
      return
    }
    await ctx.answerCallbackQuery()
    await ctx.editMessageText(`Move ${customerName(customer)} to ${team.title}: when?`, {
      reply_markup: { inline_keyboard: [[{ text: 'Now', callback_data: `ra:w:${customer.id}:${team.key}:now` }, { text: `Tonight (${ctx.project.config.reassignment.tonightHourUtc}:00 UTC)`, callback_data: `ra:w:${customer.id}:${team.key}:tonight` }]] },
    })
    return
  }
  const result = await reassign(ctx, customer, m[8]!, { kind: m[9] === 'now' ? 'now' : 'tonight' })
  await ctx.answerCallbackQuery({ text: result.text.slice(0, 190) })
  await ctx.editMessageText(result.text, result.cancelId ? { reply_markup: { inline_keyboard: [[{ text: '✖ Cancel this move', callback_data: `ra:c:${result.cancelId}` }]] } } : {})
})

export { composer as staffReassignFeature }
