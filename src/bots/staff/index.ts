import { Composer } from 'grammy'
import type { RoleDefinition } from '../../domain/roles.js'
import { BUTTON_NOT_VALID, pressText } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'
import { staffAssignmentFeature } from './assignment-feature.js'
import { staffBroadcastFeature } from './broadcast-feature.js'
import { staffFailedFeature } from './failed-feature.js'
import { staffGroupCommandsFeature } from './group-commands-feature.js'
import { staffMembershipFeature } from './membership-feature.js'
import { staffQueueFeature } from './queue-feature.js'
import { staffPrivateFeature } from './private-feature.js'
import { staffReassignFeature } from './reassign-feature.js'
import { staffRiskFeature } from './risk-feature.js'
import { staffSuggestionFeature } from './suggestion-feature.js'
import { staffSyncFeature } from './sync-feature.js'
import { staffTopicMessageFeature } from './topic-message-feature.js'
import { staffTransferFeature } from './transfer-feature.js'
import { staffTreatmentFeature } from './treatment-feature.js'

/**
 * One factory for the CS, CR and Treatment bots. Only the first bot of a pool listens to the
 * group (messages, edits, reactions), so each staff message is handled once. Every bot of a
 * pool answers the buttons: Telegram sends a press only to the bot that posted the message,
 * and cards and profile cards are posted by whichever bot of the pool had budget left.
 */
export function staffBotFeatures(options: { role: RoleDefinition; listens: boolean }): Composer<BotContext> {
  const composer = new Composer<BotContext>()
  if (options.listens) composer.use(staffGroupCommandsFeature)
  if (options.listens && options.role.home) composer.use(staffFailedFeature, staffBroadcastFeature)
  if (options.role.home) composer.use(staffAssignmentFeature, staffReassignFeature, staffQueueFeature)
  if (options.listens) composer.use(staffSyncFeature, staffTopicMessageFeature, staffMembershipFeature)
  // The /treatment confirmation is posted by the CS or the CR bot, so the press comes back to it.
  if (!options.role.onDemand) composer.use(staffTreatmentFeature)
  // The /transfer prompt is posted by the listening bot of whichever group it was typed in.
  if (options.listens) composer.use(staffTransferFeature)
  // A risk prompt is posted by any bot of the author's group (a pool's included), so every bot answers it.
  composer.use(staffRiskFeature)
  composer.use(staffSuggestionFeature)
  // Every bot of the project takes /online, /away and /offline in a private chat (nothing else there).
  composer.use(staffPrivateFeature)
  // Buttons nobody above recognised (stale or forged data) still get an answer.
  composer.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: pressText(ctx, BUTTON_NOT_VALID), show_alert: true }))
  return composer
}
