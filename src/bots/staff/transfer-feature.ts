import { Composer } from 'grammy'
import { transferButtons } from '../../domain/buttons/transfer.js'
import { findCustomer } from '../../domain/customers.js'
import { textsOf } from '../../domain/project-runtime.js'
import { transferToAgent } from '../../domain/owners/transfer.js'
import { bindButtonFamily } from '../buttons/bind.js'
import type { BotContext } from '../shared/context.js'
import { reassign } from './reassign-feature.js'

const composer = new Composer<BotContext>()

/**
 * The `/transfer` prompt's buttons: only on the prompt that carries the pressed data, in one of
 * that customer's topics of this project. An agent button changes the owner (the owner or a CS
 * lead); a team button moves the customer now (CS leads). The prompt then shows the outcome,
 * without buttons, so it cannot be pressed twice.
 */
bindButtonFamily(
  composer,
  transferButtons,
  {
    // An agent button is the owner's or a CS lead's to press: the domain decides, knowing the owner.
    action: (button) => (button.kind === 'team' ? 'reassign_customer' : undefined),
    customerTopic: (button, project) => ({ customerId: button.customerId, roles: project.roles.map((role) => role.key) }),
  },
  async (ctx, { value: button }) => {
    if (button.kind === 'team') {
      const customer = await findCustomer(ctx.deps.db, button.customerId)
      if (!customer || customer.projectId !== ctx.project.id) return ctx.answerCallbackQuery({ text: textsOf(ctx.project).staff('customerGone'), show_alert: true })
      const result = await reassign(ctx, customer, button.teamKey, { kind: 'now' })
      await ctx.answerCallbackQuery({ text: result.text.slice(0, 190) })
      await ctx.editMessageText(result.text)
      return
    }
    const outcome = await transferToAgent(ctx.deps, ctx.project, {
      customerId: button.customerId,
      to: button.userId,
      by: ctx.from.id,
      ...(button.promptId === undefined ? {} : { promptId: button.promptId }),
    })
    if (!outcome.ok) return ctx.answerCallbackQuery({ text: outcome.reason, show_alert: true })
    await ctx.answerCallbackQuery({ text: outcome.text.slice(0, 190) })
    await ctx.editMessageText(outcome.text)
  },
)

export { composer as staffTransferFeature }
