import type { GroupCommandHandler } from './types.js'

/**
 * `/reload` in the CS group: the agents and staff lists of every project are read again from the
 * config file (same validation as at start-up). That is the deployment's config, so only its
 * operators (`operators` in the config) may, not a project's leads. A bad file keeps the old lists;
 * why is logged only (a config error may quote the file), and the answer counts this project's
 * roster only (other brands' people are not shown).
 */
export const reloadCommand: GroupCommandHandler = async (ctx) => {
  const reply = (text: string) => ctx.reply(text, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } })
  if (!ctx.deps.operators.includes(ctx.from.id)) {
    await reply("Only the deployment's operators can reload the config.")
    return
  }
  const outcome = await ctx.deps.reloadRosters()
  if (!outcome.ok) {
    await reply('Config invalid, see the logs. The current staff list stays.')
    return
  }
  const mine = outcome.projects.find((p) => p.key === ctx.project.config.key)
  await reply(`Staff list reloaded: ${mine?.members ?? 0} people (${mine?.added.length ?? 0} added, ${mine?.removed.length ?? 0} removed).`)
}
