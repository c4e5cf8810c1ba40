import type { InlineKeyboardButton } from 'grammy/types'
import { describeDeadLetter, listDeadLetters } from '../../../delivery/dead-letters.js'
import { deadLetterRetryButtons, failedUpdateRetryButtons } from '../../../domain/buttons/failed.js'
import { refusalFor } from '../../../domain/permissions.js'
import { listFailedUpdates } from '../../../db/repositories/updates.js'
import { describeFailedUpdate, formatUpdateKey } from '../../ingress/failed-updates.js'
import type { GroupCommandHandler } from './types.js'

/**
 * `/failed` in the CS group, for CS leads: the project's dead outbox rows and the updates parked
 * after failed handling, each with a retry button (answered in failed-feature).
 */
export const failedCommand: GroupCommandHandler = async (ctx) => {
  const refusal = refusalFor(ctx.project, ctx.from.id, 'see_failed')
  if (refusal) {
    await ctx.reply(refusal, { reply_parameters: { message_id: ctx.msg.message_id } })
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
  for (const letter of letters) buttons.push([deadLetterRetryButtons.button(`↻ Retry #${letter.id}`, { outboxId: letter.id })])
  if (parked.length > 0) lines.push('Failed updates (newest first):', ...parked.map(describeFailedUpdate))
  for (const update of parked) buttons.push([failedUpdateRetryButtons.button(`↻ Retry update ${formatUpdateKey(update)}`, { botId: update.botId, updateId: update.updateId })])
  await ctx.reply(lines.join('\n').slice(0, 4000), { reply_markup: { inline_keyboard: buttons } })
}
