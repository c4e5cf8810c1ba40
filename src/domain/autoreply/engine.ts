import { eq } from 'drizzle-orm'
import type { FlowButton } from '../../config/flows.js'
import type { DbOrTx } from '../../db/client.js'
import { scopeOf, inProject } from '../../db/project-scope.js'
import type { MessageRow } from '../../db/repositories/relay.js'
import { customers, linkClicks, links } from '../../db/schema/index.js'
import { flowButtons, type FlowPress } from '../buttons/flow.js'
import { queueProfileCardEdits } from '../crm/profile-card.js'
import { customerName, type Customer, type Topic } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { flowPositionOf, setFlowPosition, storeAnswer, type FlowPosition } from './answers.js'
import { relayAutoAnswered, sendAutoAnswer } from './auto-answer.js'
import { automationsOf } from './automations.js'
import { handOffToPerson } from './handoff.js'
import { clientLanguageOf } from '../translation/language.js'
import { handOverFromAssistant } from '../assistant/deliver-answer.js'

/** One automatic turn: what is answered, in whose transaction. */
interface Turn {
  tx: DbOrTx
  project: ProjectRuntime
  customer: Customer
  now: Date
  /** The client message answered (the topics show the answer as a reply to its copy). */
  replyToRowId?: number
  lead?: string
}

/** Flows chained without a wait (a step with neither question nor buttons goes on to its next) stop here. */
const MAX_CHAIN = 10

/**
 * Runs a flow step: the bot says it (with its buttons); a question or buttons wait for the client,
 * a handoff step hands them to a person, a plain step goes on to its `next`, the last one ends the flow.
 */
async function runStep(turn: Turn, flowName: string, stepId: string | undefined, depth = 0): Promise<void> {
  const scope = scopeOf(turn.project)
  const flow = automationsOf(turn.project).flows[flowName]
  const step = stepId === undefined ? flow?.steps[0] : flow?.steps.find((s) => s.id === stepId)
  if (!flow || !step) return setFlowPosition(turn.tx, scope, turn.customer.id, undefined, turn.now)
  const buttons = (step.buttons ?? []).map((button, index) => ({
    text: button.text,
    data: flowButtons.encode({ kind: 'step', customerId: turn.customer.id, flow: flowName, step: step.id, index }),
  }))
  await sendAutoAnswer(turn.tx, turn.project, turn.customer, { text: step.say, buttons, replyToRowId: turn.replyToRowId, lead: turn.lead })
  if (step.handoff) return handOffToPerson(turn.tx, turn.project, turn.customer, turn.now)
  if (step.ask !== undefined || buttons.length > 0) return setFlowPosition(turn.tx, scope, turn.customer.id, { flow: flowName, step: step.id }, turn.now)
  if (step.next !== undefined && depth < MAX_CHAIN) return runStep({ ...turn, lead: undefined }, flowName, step.next, depth + 1)
  await setFlowPosition(turn.tx, scope, turn.customer.id, undefined, turn.now)
}

async function recordAnswer(turn: Turn, key: string, value: string): Promise<void> {
  await storeAnswer(turn.tx, scopeOf(turn.project), turn.customer.id, key, value, turn.now)
  await queueProfileCardEdits(turn.tx, turn.project, turn.customer.id)
}

/** What a client text sets off, in order: a flow's command, the answer to the waiting question, a flow's keyword, an auto-reply. */
export type AutoAnswerAction = { kind: 'flow'; flow: string } | { kind: 'answer'; flow: string; step: string; key: string; next?: string } | { kind: 'reply'; index: number }

/** Where the customer is in a flow; no read at all for a project without flows. */
export async function readFlowPosition(tx: DbOrTx, project: ProjectRuntime, customerId: number, now: Date): Promise<FlowPosition | undefined> {
  return Object.keys(automationsOf(project).flows).length ? flowPositionOf(tx, scopeOf(project), customerId, now) : undefined
}

/**
 * Whether a client text is answered automatically, and how (pure: a pipeline policy can call it
 * with the position read beforehand). Undefined: the message goes to staff as usual.
 */
export function decideAutoAnswer(project: ProjectRuntime, text: string, position: FlowPosition | undefined): AutoAnswerAction | undefined {
  const automations = automationsOf(project)
  const command = /^\/([a-z0-9_]+)(?:@\w+)?\s*$/i.exec(text.trim())?.[1]?.toLowerCase()
  const commanded = command && Object.entries(automations.flows).find(([, flow]) => flow.command === command)
  if (commanded) return { kind: 'flow', flow: commanded[0] }
  const step = position && automations.flows[position.flow]?.steps.find((s) => s.id === position.step)
  if (position && step?.ask !== undefined) return { kind: 'answer', flow: position.flow, step: step.id, key: step.ask, next: step.next }
  const keyword = automations.flowKeywords.find((entry) => entry.matches(text))
  if (keyword) return { kind: 'flow', flow: keyword.flow }
  const index = automations.autoReplies.findIndex((entry) => entry.matches(text))
  return index >= 0 ? { kind: 'reply', index } : undefined
}

/**
 * Carries out a decided automatic answer on a stored client text: the message is copied to the
 * topics marked "🤖 auto-answered" (no wait, nothing reopened), then the bot answers — a flow
 * step, the stored answer and the next step, or the auto-reply.
 */
export async function carryOutAutoAnswer(
  tx: DbOrTx,
  project: ProjectRuntime,
  customer: Customer,
  stored: MessageRow,
  topics: Topic[],
  action: AutoAnswerAction,
  now: Date,
): Promise<void> {
  await relayAutoAnswered(tx, project, stored, topics, now)
  const turn: Turn = { tx, project, customer, now, replyToRowId: stored.id }
  if (action.kind === 'flow') return runStep(turn, action.flow, undefined)
  if (action.kind === 'answer') {
    await recordAnswer(turn, action.key, stored.text ?? '')
    return action.next !== undefined ? runStep(turn, action.flow, action.next) : setFlowPosition(tx, scopeOf(project), customer.id, undefined, now)
  }
  const reply = automationsOf(project).autoReplies[action.index]!.reply
  const buttons = (reply.buttons ?? []).flatMap((button) =>
    button.flow !== undefined ? [{ text: button.text, data: flowButtons.encode({ kind: 'start', customerId: customer.id, flow: button.flow }) }] : [],
  )
  await sendAutoAnswer(tx, project, customer, { text: reply.reply, buttons, replyToRowId: stored.id })
}

/**
 * The automatic-answer step (issue 18), run by the relay pipeline's pass step (after every
 * policy, `RelayContext.answerAutomatically`) inside the relay's transaction for a relayable
 * client message of an active customer: when an auto-reply, a flow command or keyword, or the
 * answer to a flow's question applies, the bot answers, the message is copied to the topics
 * marked "🤖 auto-answered" without starting a wait or reopening anything, and true is returned;
 * false leaves the message to the usual relay (and to the assistant's jobs after it). It reads
 * the flow position in a statement of its own (`readFlowPosition`), then `decideAutoAnswer`
 * picks the action and `carryOutAutoAnswer` does it.
 */
export async function answerAutomatically(
  tx: DbOrTx,
  deps: Pick<DomainDeps, 'clock'>,
  project: ProjectRuntime,
  customer: Customer,
  stored: MessageRow,
  topics: Topic[],
): Promise<boolean> {
  if (stored.kind !== 'text' || !stored.text) return false
  const now = deps.clock.now()
  const action = decideAutoAnswer(project, stored.text, await readFlowPosition(tx, project, customer.id, now))
  if (!action) return false
  await carryOutAutoAnswer(tx, project, customer, stored, topics, action, now)
  return true
}

/**
 * A client pressed a button under an automatic answer (bound to the pressed message by the
 * adapter): it counts only for the customer the data names, in this project, while active.
 * "Talk to a person" hands them over; a flow button stores the step's answer (its label) and goes
 * where it leads. Returns the short text the press is answered with.
 */
export async function pressFlowButton(deps: DomainDeps, project: ProjectRuntime, press: { userId: number; value: FlowPress; label: string }): Promise<string> {
  const outcome = await deps.db.transaction(async (tx) => {
    const [customer] = await tx
      .select()
      .from(customers)
      .where(inProject(customers, project.id, eq(customers.id, press.value.customerId)))
      .for('update')
    // A banned client's old buttons do nothing (their messages are not relayed either).
    const t = textsOf(project)
    // The press is answered in the client's language (a stranger's press: the project's).
    const say = (key: string) => t.client(customer?.telegramUserId === press.userId ? clientLanguageOf(customer) : null, key)
    if (!customer || customer.telegramUserId !== press.userId || customer.state !== 'active' || customer.banned) return say('buttonNoLongerValid')
    const now = deps.clock.now()
    const turn: Turn = { tx, project, customer, now, lead: t.staff('autoPressed', { name: customerName(customer), button: press.label }) }
    const { value } = press
    if (value.kind === 'person') {
      await handOffToPerson(tx, project, customer, now)
      await handOverFromAssistant(tx, project, customer, now)
      return say('autoPressTaken')
    }
    if (value.kind === 'start') {
      if (!automationsOf(project).flows[value.flow]) return say('buttonNoLongerValid')
      await runStep(turn, value.flow, undefined)
      return say('autoPressTaken')
    }
    const step = automationsOf(project).flows[value.flow]?.steps.find((s) => s.id === value.step)
    const button: FlowButton | undefined = step?.buttons?.[value.index]
    if (!step || !button) return say('buttonNoLongerValid')
    if (step.ask !== undefined) await recordAnswer(turn, step.ask, button.text)
    if (button.person) await handOffToPerson(tx, project, customer, now)
    else await runStep(turn, button.flow ?? value.flow, button.flow !== undefined ? undefined : button.next)
    return say('autoPressTaken')
  })
  deps.notify()
  return outcome
}

/**
 * A known customer started the bot through a diversion link (`/start <click token>`): the flow
 * whose `link` is that link's code starts, when there is one and the customer is active (their
 * topics can show it). Runs in the start's transaction.
 */
export async function startLinkFlow(tx: DbOrTx, deps: Pick<DomainDeps, 'clock'>, project: ProjectRuntime, customer: Customer, clickToken: string): Promise<void> {
  if (customer.state !== 'active') return
  const flows = Object.entries(automationsOf(project).flows).filter(([, flow]) => flow.link !== undefined)
  if (flows.length === 0) return
  const [link] = await tx
    .select({ code: links.code })
    .from(linkClicks)
    .innerJoin(links, eq(links.id, linkClicks.linkId))
    .where(inProject(linkClicks, project.id, eq(linkClicks.token, clickToken)))
  const flow = link && flows.find(([, spec]) => spec.link === link.code)
  if (flow) await runStep({ tx, project, customer, now: deps.clock.now() }, flow[0], undefined)
}
