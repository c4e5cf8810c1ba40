import { Composer } from 'grammy'
import type { InlineKeyboardButton } from 'grammy/types'
import { describeDeadLetter, listDeadLetters, retryDeadLetter } from '../../delivery/dead-letters.js'
import { isCsLead } from '../../domain/project-runtime.js'
import { listFailedUpdates, retryFailedUpdate } from '../../db/repositories/updates.js'
import { describeFailedUpdate, formatUpdateKey, parseUpdateKey } from '../ingress/failed-updates.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()
const group = composer.chatType('supergroup')

/**
 * `/failed` in the CS group, for CS leads: the project's dead outbox rows and the updates parked
 * after failed handling, each with a retry button.
 */
group.command('failed', async (ctx) => {
  if (ctx.chat.id !== ctx.project.config.groups.cs.chatId) return
  if (!isCsLead(ctx.project, ctx.from.id)) {
    await ctx.reply('Only CS leads can see failed deliveries.', { reply_parameters: { message_id: ctx.msg.message_id } })
    return
  }
  const scope = { projectId: ctx.project.id, limit: 10 }
  const [letters, parked] = await Promise.all([listDeadLetters(ctx.deps.db, scope), listFailedUpdates(ctx.deps.db, scope)])
  if (letters.length === 0 && parked.length === 0) {
    await ctx.reply('No failed deliveries or updates. 🎉')
    return
  }
  const lines: string[] = []
  const buttons: InlineKeyboardButton[][] = []
  if (letters.length > 0) lines.push('Failed deliveries (newest first):', ...letters.map(describeDeadLetter))
  for (const letter of letters) buttons.push([{ text: `↻ Retry #${letter.id}`, callback_data: `dl:${letter.id}` }])
  if (parked.length > 0) lines.push('Failed updates (newest first):', ...parked.map(describeFailedUpdate))
  for (const update of parked) buttons.push([{ text: `↻ Retry update ${formatUpdateKey(update)}`, callback_data: `du:${formatUpdateKey(update)}` }])
  await ctx.reply(lines.join('\n').slice(0, 4000), { reply_markup: { inline_keyboard: buttons } })
})

composer.callbackQuery(/^dl:(\d{1,15})$/, async (ctx) => {
  if (!isCsLead(ctx.project, ctx.from.id)) {
    await ctx.answerCallbackQuery({ text: 'Only CS leads can retry deliveries.', show_alert: true })
    return
  }
  const id = Number(ctx.match[1])
  const queued = await retryDeadLetter(ctx.deps.db, id, ctx.project.id)
  if (queued) ctx.deps.notify()
  ctx.log.info({ outboxId: id, queued, by: ctx.from.id }, 'dead letter retry pressed')
  await ctx.answerCallbackQuery({ text: queued ? `Row #${id} is queued again.` : `Row #${id} is no longer failed.` })
})

composer.callbackQuery(/^du:(\d{1,15}:\d{1,15})$/, async (ctx) => {
  if (!isCsLead(ctx.project, ctx.from.id)) {
    await ctx.answerCallbackQuery({ text: 'Only CS leads can retry failed updates.', show_alert: true })
    return
  }
  const key = parseUpdateKey(ctx.match[1]!)!
  // Scoped to the project: a button can only revive this project's own rows.
  const queued = await retryFailedUpdate(ctx.deps.db, key, ctx.project.id)
  ctx.log.info({ failedBotId: key.botId, failedUpdateId: key.updateId, queued, by: ctx.from.id }, 'failed update retry pressed')
  const shown = formatUpdateKey(key)
  await ctx.answerCallbackQuery({ text: queued ? `Update ${shown} will be handled again.` : `Update ${shown} is no longer failed.` })
})

export { composer as staffFailedFeature }
