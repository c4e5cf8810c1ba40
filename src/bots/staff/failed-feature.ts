import { Composer } from 'grammy'
import { describeDeadLetter, listDeadLetters, retryDeadLetter } from '../../delivery/dead-letters.js'
import { isCsLead } from '../../domain/project-runtime.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()
const group = composer.chatType('supergroup')

/** `/failed` in the CS group: the dead letter list for CS leads, each row with a retry button. */
group.command('failed', async (ctx) => {
  if (ctx.chat.id !== ctx.project.config.groups.cs.chatId) return
  if (!isCsLead(ctx.project, ctx.from.id)) {
    await ctx.reply('Only CS leads can see failed deliveries.', { reply_parameters: { message_id: ctx.msg.message_id } })
    return
  }
  const letters = await listDeadLetters(ctx.deps.db, { projectId: ctx.project.id, limit: 10 })
  if (letters.length === 0) {
    await ctx.reply('No failed deliveries. 🎉')
    return
  }
  await ctx.reply(['Failed deliveries (newest first):', ...letters.map(describeDeadLetter)].join('\n').slice(0, 4000), {
    reply_markup: { inline_keyboard: letters.map((letter) => [{ text: `↻ Retry #${letter.id}`, callback_data: `dl:${letter.id}` }]) },
  })
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

export { composer as staffFailedFeature }
