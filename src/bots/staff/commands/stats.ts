import { refusalFor } from '../../../domain/permissions.js'
import { lastDays, parseDays } from '../../../domain/reports/period.js'
import { projectStats } from '../../../domain/reports/stats.js'
import { statsText } from '../../../domain/reports/stats-format.js'
import { STATS_TEXTS } from '../../../domain/reports/texts.js'
import type { GroupCommandHandler } from './types.js'

/** `/stats [days]` in the CS group, for CS leads: the project's report for the last days. */
export const statsCommand: GroupCommandHandler = async (ctx) => {
  const reply = (text: string) => ctx.reply(text.slice(0, 4096), { reply_parameters: { message_id: ctx.msg.message_id } })
  const refusal = refusalFor(ctx.project, ctx.from.id, 'see_stats')
  if (refusal) return void (await reply(refusal))
  const days = parseDays(ctx.match)
  if (days === undefined) return void (await reply(STATS_TEXTS.usage))
  const { from, to } = lastDays(ctx.deps.clock.now(), days)
  await reply(statsText(await projectStats(ctx.deps.db, ctx.project.id, from, to), STATS_TEXTS.lastDays(days)))
}
