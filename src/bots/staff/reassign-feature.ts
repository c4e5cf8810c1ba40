import { Composer } from 'grammy'
import { customerName, findCustomer, type Customer } from '../../domain/customers.js'
import { homeRole } from '../../domain/roles.js'
import { staffMember, teamsOf } from '../../domain/project-runtime.js'
import { startReassignment } from '../../domain/reassignment/runner.js'
import { cancelReassignment, scheduleReassignment } from '../../domain/reassignment/schedule.js'
import { describeDue, dueAt, type ReassignWhen } from '../../domain/reassignment/when.js'
import { bindButtonFamily, inHomeGroup } from '../buttons/bind.js'
import { reassignButtons, reassignCancelKeyboard, reassignTeamsKeyboard, reassignWhenKeyboard } from '../../domain/buttons/reassign.js'
import type { BotContext } from '../shared/context.js'

/** Schedules (and for "now" runs) a move, and says what happened in one line. */
export async function reassign(ctx: BotContext, customer: Customer, teamKey: string, when: ReassignWhen): Promise<{ text: string; cancelId?: number }> {
  const now = ctx.deps.clock.now()
  const due = dueAt(when, ctx.project.config.reassignment.tonightHourUtc, now)
  const outcome = await scheduleReassignment(ctx.deps, ctx.project, { customerId: customer.id, toTeam: teamKey, dueAt: due, requestedBy: ctx.from!.id, source: 'bot' })
  if (!outcome.ok) return { text: `Not moved: ${outcome.reason}` }
  const team = teamsOf(ctx.project).find((t) => t.key === teamKey)!
  const by = staffMember(ctx.project, ctx.from!.id)?.name ?? 'a lead'
  if (when.kind === 'now') {
    // Run it in the background: the CS group's updates are handled one at a time, and a move
    // with a long history would hold up every later command. The cron job retries it if this fails.
    startReassignment(ctx.deps, ctx.project, outcome.reassignment.id)
    return { text: `🔀 ${customerName(customer)} is moving to ${team.title} (by ${by}); the history is being replayed.` }
  }
  return { text: `🗓 Scheduled by ${by}: move ${customerName(customer)} to ${team.title} at ${describeDue(ctx.project, due, now)}.`, cancelId: outcome.reassignment.id }
}

/** The CR teams a customer can move to, as buttons. */
export function teamKeyboard(ctx: BotContext, customer: Customer) {
  return reassignTeamsKeyboard(
    customer.id,
    teamsOf(ctx.project).filter((team) => team.key !== customer.crTeam),
  )
}

const composer = new Composer<BotContext>()

/**
 * The reassignment buttons (on the CS profile card and the /reassign prompt): CS leads only, and
 * only on a message in that customer's CS topic that carries the pressed data.
 */
bindButtonFamily(
  composer,
  reassignButtons,
  {
    groups: inHomeGroup,
    action: () => 'reassign_customer',
    customerTopic: (button, project) => ({ customerId: button.customerId, roles: [homeRole(project.roles).key] }),
  },
  async (ctx, { value: button, message: pressed }) => {
    const lead = staffMember(ctx.project, ctx.from.id)?.name ?? 'a lead'
    if (button.kind === 'cancel') {
      const cancelled = await cancelReassignment(ctx.deps, ctx.project, { id: button.reassignmentId, customerId: button.customerId }, ctx.from.id)
      await ctx.answerCallbackQuery({ text: cancelled ? 'Cancelled.' : 'It already ran or was cancelled.' })
      if (cancelled) await ctx.editMessageText(`✖ Planned move cancelled by ${lead}.`)
      return
    }
    const customer = await findCustomer(ctx.deps.db, button.customerId)
    if (!customer || customer.projectId !== ctx.project.id) return ctx.answerCallbackQuery({ text: 'This customer no longer exists.', show_alert: true })
    if (button.kind === 'menu') {
      await ctx.answerCallbackQuery()
      await ctx.reply(`Move ${customerName(customer)} to which CR team?`, { reply_markup: teamKeyboard(ctx, customer), message_thread_id: pressed.threadId })
      return
    }
    const team = teamsOf(ctx.project).find((t) => t.key === button.teamKey)
    if (!team) return ctx.answerCallbackQuery({ text: 'That CR team no longer exists.', show_alert: true })
    if (button.kind === 'team') {
      await ctx.answerCallbackQuery()
      await ctx.editMessageText(`Move ${customerName(customer)} to ${team.title}: when?`, {
        reply_markup: reassignWhenKeyboard(ctx.project, customer.id, team.key),
      })
      return
    }
    const result = await reassign(ctx, customer, team.key, { kind: button.when })
    await ctx.answerCallbackQuery({ text: result.text.slice(0, 190) })
    await ctx.editMessageText(result.text, result.cancelId ? { reply_markup: reassignCancelKeyboard(ctx.project, customer.id, result.cancelId) } : {})
  },
)

export { composer as staffReassignFeature }
