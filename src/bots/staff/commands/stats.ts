import { refusalFor } from '../../../domain/permissions.js'
import { lastDays, parseDays } from '../../../domain/reports/period.js'
import { projectStats } from '../../../domain/reports/stats.js'
import { statsText } from '../../../domain/reports/stats-format.js'
import { textsOf } from '../../../domain/project-runtime.js'
import type { GroupCommandHandler } from './types.js'

/** `/stats [days]` in the CS group, for CS leads: the project's report for the last days. */
export const statsCommand: GroupCommandHandler = async (ctx) => {
  const reply = (text: string) => ctx.reply(fitMessage(text, textsOf(ctx.project).staff('statsTruncated')), { reply_parameters: { message_id: ctx.msg.message_id } })
  const refusal = refusalFor(ctx.project, ctx.from.id, 'see_stats')
  if (refusal) return void (await reply(refusal))
  const days = parseDays(ctx.match)
  const t = textsOf(ctx.project)
  if (days === undefined) return void (await reply(t.staff('statsUsage')))
  const { from, to } = lastDays(ctx.deps.clock.now(), days)
  await reply(statsText(await projectStats(ctx.deps.db, ctx.project.id, from, to), t.staff('statsLastDays', { days }), t))
}

/** Telegram's limit for one text: a long report (many days) keeps its first lines and says where the rest is. */
function fitMessage(text: string, truncated: string): string {
  if (text.length <= 4096) return text
  const kept = text.slice(0, 4096 - truncated.length - 1)
  return `${kept.slice(0, kept.lastIndexOf('\n'))}\n${truncated}`
}
