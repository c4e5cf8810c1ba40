import { Composer } from 'grammy'
import { treatmentButtons } from '../../domain/buttons/treatment-prompt.js'
import { onDemandRole } from '../../domain/roles.js'
import { pressTreatmentButton } from '../../domain/treatment/open-treatment.js'
import { bindButtonFamily } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'

const composer = new Composer<BotContext>()

/**
 * Buttons of the `/treatment` confirmation. It is posted in a CS or CR topic, so the press
 * reaches the CS or the CR bot; the domain binds it to the customer whose topic it is in.
 */
bindButtonFamily(
  composer,
  treatmentButtons,
  { groups: (group, project) => group.role !== onDemandRole(project.roles).key, action: () => 'open_treatment' },
  async (ctx, { value: action, message: prompt }) => {
    const answer = await pressTreatmentButton(ctx.deps, ctx.project, { action, userId: ctx.from.id, prompt })
    ctx.log.info({ action, userId: ctx.from.id, answer: answer.text }, 'treatment prompt pressed')
    await ctx.answerCallbackQuery({ text: answer.text, show_alert: answer.alert })
  },
)

export { composer as staffTreatmentFeature }
