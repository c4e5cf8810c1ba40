import { auditSummary, auditSummaryText } from '../../../domain/audit/summary.js'
import { textsOf } from '../../../domain/project-runtime.js'
import { refusalFor } from '../../../domain/permissions.js'
import { lastDays, parseDays } from '../../../domain/reports/period.js'
import type { GroupCommandHandler } from './types.js'

/** `/audit [days]` in the CS group, for CS leads: the audited changes of the last days, by kind and by agent. */
export const auditCommand: GroupCommandHandler = async (ctx) => {
  const reply = (text: string) => ctx.reply(text, { reply_parameters: { message_id: ctx.msg.message_id } })
  const refusal = refusalFor(ctx.project, ctx.from.id, 'see_audit')
  if (refusal) return void (await reply(refusal))
  const days = parseDays(ctx.match)
  if (days === undefined) return void (await reply(textsOf(ctx.project).staff('auditUsage')))
  const { from, to } = lastDays(ctx.deps.clock.now(), days)
  await reply(auditSummaryText(ctx.project, await auditSummary(ctx.deps.db, ctx.project.id, from, to), days))
}
