import type { Composer, Filter } from 'grammy'
import { isCustomerTopic, NOT_THIS_MESSAGE } from '../../domain/button-binding.js'
import type { ButtonFamily } from '../../domain/buttons/family.js'
import { groupRefusal, refusalFor, type StaffAction } from '../../domain/permissions.js'
import { staffGroupOf, textsOf, type ProjectRuntime, type StaffGroup } from '../../domain/project-runtime.js'
import { homeRole } from '../../domain/roles.js'
import type { BotContext } from '../shared/context.js'
import { pressedMessage, type PressedMessage } from './pressed-message.js'

/** The text key said to whoever presses data that is not a button of the family (stale, forged, or mangled). */
export const BUTTON_NOT_VALID = 'buttonNoLongerValid'

/** A button text for the presser: a client in their language, staff in the project's staff locale. */
export function pressText(ctx: BotContext & { from: { language_code?: string } }, key: string): string {
  const texts = textsOf(ctx.project)
  return ctx.project.bots.client.some((bot) => bot.id === ctx.me.id) ? texts.client(ctx.from.language_code, key) : texts.staff(key)
}

export type ButtonContext = Filter<BotContext, 'callback_query:data'>

/** A press that passed the binding: the family's value, the message it was pressed on, and (staff) its group. */
export interface ButtonPress<T> {
  value: T
  message: PressedMessage
}

export interface StaffButtonPress<T> extends ButtonPress<T> {
  group: StaffGroup
}

/** Where a staff family's messages live, what a press asks for, and whose topic it must be in. */
export interface StaffButtonBinding<T> {
  /** The staff groups the family's messages are posted in (default: any of the project's). */
  groups?: (group: StaffGroup, project: ProjectRuntime) => boolean
  /** The action a press asks for; undefined leaves the decision (say, an owner's) to the domain. */
  action?: (value: T) => StaffAction | undefined
  /** The customer a press acts for: the pressed message must be in one of their topics of these roles. */
  customerTopic?: (value: T, project: ProjectRuntime) => { customerId: number; roles: string[] }
}

/** For `groups`: families whose messages are posted in the home (CS) group only. */
export const inHomeGroup = (group: StaffGroup, project: ProjectRuntime): boolean => group.role === homeRole(project.roles).key

async function refuse(ctx: ButtonContext, prefix: string, reason: string, text: string): Promise<void> {
  ctx.log.info({ prefix, reason, by: ctx.from.id }, 'button press refused')
  await ctx.answerCallbackQuery({ text, show_alert: true })
}

/** The value and message of a press, or undefined once it is refused (bad data, not on the message). */
async function readPress<T>(ctx: ButtonContext, family: ButtonFamily<T>): Promise<ButtonPress<T> | undefined> {
  const reading = family.validate(ctx.callbackQuery.data)
  if (!reading.ok) return void (await refuse(ctx, family.prefix, reading.reason, pressText(ctx, BUTTON_NOT_VALID)))
  const message = pressedMessage(ctx.callbackQuery, ctx.self.id)
  if (!message) return void (await refuse(ctx, family.prefix, 'not on the pressed message', pressText(ctx, NOT_THIS_MESSAGE)))
  return { value: reading.value, message }
}

/**
 * Answers a client's buttons of one family (in a private chat with the client bot): the data must
 * be a button of the family and on the pressed message; the domain binds it to the customer.
 */
export function bindClientButtonFamily<T>(composer: Composer<BotContext>, family: ButtonFamily<T>, handler: (ctx: ButtonContext, press: ButtonPress<T>) => Promise<unknown>): void {
  composer.callbackQuery(new RegExp(`^${family.prefix}:`), async (ctx) => {
    const press = await readPress(ctx, family)
    if (press) await handler(ctx, press)
  })
}

/**
 * Answers staff buttons of one family. Before the handler runs, the press must be: a button of the
 * family, on the pressed message, in one of the family's staff groups, in the customer's topic
 * (when the family names one), by someone allowed the action and allowed to work in that group
 * (`groupRefusal`: a CR North agent cannot press in CR South's group). Anything else gets a short
 * refusal and changes nothing.
 */
export function bindButtonFamily<T>(
  composer: Composer<BotContext>,
  family: ButtonFamily<T>,
  binding: StaffButtonBinding<T>,
  handler: (ctx: ButtonContext, press: StaffButtonPress<T>) => Promise<unknown>,
): void {
  composer.callbackQuery(new RegExp(`^${family.prefix}:`), async (ctx) => {
    const press = await readPress(ctx, family)
    if (!press) return
    const { project } = ctx
    const group = staffGroupOf(project, press.message.chatId)
    if (!group || (binding.groups && !binding.groups(group, project))) return refuse(ctx, family.prefix, 'not in its groups', pressText(ctx, NOT_THIS_MESSAGE))
    const topic = binding.customerTopic?.(press.value, project)
    if (topic && !(await isCustomerTopic(ctx.deps.db, project, press.message, topic.customerId, topic.roles))) {
      return refuse(ctx, family.prefix, "not in the customer's topic", pressText(ctx, NOT_THIS_MESSAGE))
    }
    const action = binding.action?.(press.value)
    const refusal = (action && refusalFor(project, ctx.from.id, action)) || groupRefusal(project, ctx.from.id, group)
    if (refusal) return refuse(ctx, family.prefix, 'not allowed', refusal)
    await handler(ctx, { ...press, group })
  })
}
