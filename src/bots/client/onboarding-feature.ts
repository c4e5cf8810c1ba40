import { Composer } from 'grammy'
import { findCustomerByUser, upsertCustomer } from '../../domain/customers.js'
import { startConversation } from '../../domain/onboarding/start.js'
import { submitEmail } from '../../domain/onboarding/submit-email.js'
import { relayClientMessage } from '../../domain/relay/client-message.js'
import { serviceEventOf } from '../../domain/service-messages.js'
import { textsOf } from '../../domain/project-runtime.js'
import type { BotContext } from '../shared/context.js'
import { isClientCommand } from './commands.js'
import { toInboundMessage } from '../shared/inbound.js'
import { personOf } from '../shared/person.js'

const composer = new Composer<BotContext>()
const privateChat = composer.chatType('private')

privateChat.command('start', async (ctx) => {
  await startConversation(ctx.deps, ctx.project, personOf(ctx.from), ctx.match || undefined)
})

privateChat.on('message', async (ctx) => {
  const { deps, project } = ctx
  const service = serviceEventOf(ctx.message)
  if (service) {
    // The client pinned a message, set an auto-delete timer…: nothing to relay or answer.
    ctx.log.debug({ service }, 'service message in a private chat ignored')
    return
  }
  const text = ctx.message.text
  // Only the bot's own commands are commands (those not handled above); any other "/…" text is a message.
  const command = isClientCommand(text, ctx.self.username)
  if (!command) {
    // The usual case, a known customer writing: one locking read finds them.
    const outcome = await relayClientMessage(deps, project, ctx.from.id, toInboundMessage(ctx.message))
    if (outcome !== 'not_ready') return void ctx.log.debug({ outcome }, 'client message')
  }
  const known = await findCustomerByUser(deps.db, project.id, ctx.from.id)
  const customer = known ?? (await upsertCustomer(deps.db, project.id, ctx.self.id, personOf(ctx.from)))
  if (command && customer.state !== 'awaiting_email') {
    // Commands are handled, never relayed.
    await ctx.reply(textsOf(project).client(ctx.from.language_code, 'noCommandsNeeded'))
    return
  }
  if (customer.state === 'awaiting_email') {
    if (text === undefined) {
      await ctx.reply(textsOf(project).client(ctx.from.language_code, 'askEmail'))
      return
    }
    const outcome = await submitEmail(deps, project, customer, text)
    ctx.log.info({ customerId: customer.id, outcome }, 'email submitted')
    return
  }
  if (customer.state === 'rejected') {
    await ctx.reply(textsOf(project).client(ctx.from.language_code, 'rejected'))
    return
  }
  const outcome = await relayClientMessage(deps, project, customer.telegramUserId, toInboundMessage(ctx.message))
  if (outcome === 'not_ready') ctx.log.warn({ customerId: customer.id }, 'the customer started giving their email or was rejected while their message was handled; not stored')
  else ctx.log.debug({ customerId: customer.id, outcome }, 'client message')
})

export { composer as clientOnboardingFeature }
