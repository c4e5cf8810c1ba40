import { Composer } from 'grammy'
import { BUTTON_NOT_VALID, pressText } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'
import { clientOnboardingFeature } from './onboarding-feature.js'
import { clientRatingFeature } from './rating-feature.js'
import { clientFlowFeature } from './flow-feature.js'
import { clientSyncFeature } from './sync-feature.js'

/** The client bot: private chats only; anything else (groups it was added to) is ignored. */
export function clientBotFeatures(): Composer<BotContext> {
  const composer = new Composer<BotContext>()
  composer.use(clientSyncFeature)
  composer.use(clientOnboardingFeature)
  composer.use(clientRatingFeature)
  composer.use(clientFlowFeature)
  // Buttons nobody above recognised (stale or forged data) still get an answer.
  composer.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: pressText(ctx, BUTTON_NOT_VALID), show_alert: true }))
  return composer
}
