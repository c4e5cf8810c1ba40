import { Composer } from 'grammy'
import type { BotContext } from '../shared/context.js'
import { staffAssignmentFeature } from './assignment-feature.js'
import { staffFailedFeature } from './failed-feature.js'
import { staffReassignFeature } from './reassign-feature.js'
import { staffSyncFeature } from './sync-feature.js'
import { staffTopicMessageFeature } from './topic-message-feature.js'
import { staffTreatmentFeature } from './treatment-feature.js'

/**
 * One factory for the CS, CR and Treatment bots. Only the first bot of a pool listens to the
 * group (the others only send), so each staff message is handled once.
 */
export function staffBotFeatures(options: { role: 'cs' | 'cr' | 'treatment'; listens: boolean }): Composer<BotContext> {
  const composer = new Composer<BotContext>()
  if (!options.listens) return composer
  if (options.role === 'cs') composer.use(staffFailedFeature, staffAssignmentFeature, staffReassignFeature)
  composer.use(staffSyncFeature)
  composer.use(staffTopicMessageFeature)
  // The /treatment confirmation is posted by the CS or the CR bot, so the press comes back to it.
  if (options.role !== 'treatment') composer.use(staffTreatmentFeature)
  // Buttons nobody above recognised (stale or forged data) still get an answer.
  composer.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: 'This button is no longer valid.', show_alert: true }))
  return composer
}
