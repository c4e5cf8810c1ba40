import { refusalFor } from '../../../domain/permissions.js'
import type { GroupCommandHandler } from './types.js'

/**
 * `/reload` in the CS group, for CS leads: the agents and staff lists are read again from the
 * config file (same validation as at start-up). A bad file keeps the old lists and says why; the
 * answer counts this project's roster only (other brands' people are not shown).
 */
export const reloadCommand: GroupCommandHandler = async (ctx) => {
  const reply = (text: string) => ctx.reply(text, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } })
  const refusal = refusalFor(ctx.project, ctx.from.id, 'reload_roster')
  if (refusal) {
    await reply(refusal)
    return
  }
  const outcome = await ctx.deps.reloadRosters()
  if (!outcome.ok) {
    // The validation names the bad keys; Telegram takes at most 4096 characters.
    await reply(`The staff list was not reloaded; the current one stays. ${outcome.reason}`.slice(0, 4000))
    return
  }
  const mine = outcome.projects.find((p) => p.key === ctx.project.config.key)
  await reply(`Staff list reloaded: ${mine?.members ?? 0} people (${mine?.added.length ?? 0} added, ${mine?.removed.length ?? 0} removed).`)
}
