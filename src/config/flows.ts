import { readFileSync } from 'node:fs'
import { RE2JS } from 're2js'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'

// Auto-replies (`projects[].autoReplies`) and command flows (`projects[].flowsFile`, or `flows` inline).

/** A flow's or a step's name: it travels in a button's callback data (64 bytes at most). */
export const flowName = z.string().regex(/^[a-z0-9_-]{1,16}$/, 'a short name of a-z, 0-9, _ or - (at most 16 characters)')
const text = z.string().refine((s) => s.trim() !== '', 'a non-empty text')

/** A button under a bot answer: go to a step of this flow, start a flow, or hand the client to a person. */
const buttonSchema = z
  .strictObject({ text: text.pipe(z.string().max(64, 'at most 64 characters')), next: flowName.optional(), flow: flowName.optional(), person: z.literal(true).optional() })
  .refine((b) => [b.next, b.flow, b.person].filter((x) => x !== undefined).length === 1, 'exactly one of next, flow or person: true')
export type FlowButton = z.infer<typeof buttonSchema>

/** Compiles a `/regex/` with the linear-time engine (never backtracks, so no pattern can hang the relay); case-insensitive. */
export function compilePattern(source: string): RE2JS {
  const body = /^\/(.*)\/i?$/s.exec(source)?.[1] ?? source
  return RE2JS.compile(body, RE2JS.CASE_INSENSITIVE)
}

const patternSchema = z.string().refine(
  (s) => {
    try {
      compilePattern(s)
      return true
    } catch {
      return false
    }
  },
  { error: (issue) => `a valid regular expression (RE2 syntax), not ${String(issue.input)}` },
)
const keywords = z.array(text).min(1)

export const autoReplySchema = z
  .strictObject({
    match: z
      .strictObject({ keywords: keywords.optional(), regex: patternSchema.optional() })
      .refine((m) => (m.keywords === undefined) !== (m.regex === undefined), 'either keywords or regex'),
    reply: text,
    buttons: z.array(buttonSchema.refine((b) => b.next === undefined, 'flow or person: true (next is for flow steps)')).optional(),
  })
  .array()
  .default([])
export type AutoReply = z.infer<typeof autoReplySchema>[number]

const stepSchema = z.strictObject({
  id: flowName,
  /** What the bot says at this step. */
  say: text,
  /** Stores the client's answer (typed, or the button pressed) on the customer under this key. */
  ask: z
    .string()
    .regex(/^[a-z0-9_]{1,32}$/, 'an answer key of a-z, 0-9 or _')
    .optional(),
  buttons: z.array(buttonSchema).max(8).optional(),
  /** The step after this one (after the answer, when it asks); absent: the flow ends here. */
  next: flowName.optional(),
  /** Reaching this step hands the client to a person (relayed as a normal message, the wait starts). */
  handoff: z.literal(true).optional(),
})
export type FlowStep = z.infer<typeof stepSchema>

const flowSchema = z.strictObject({
  /** `/inquiry` in the client's chat starts it. */
  command: z
    .string()
    .regex(/^[a-z0-9_]{1,32}$/, 'a command name of a-z, 0-9 or _ (without /)')
    .refine((c) => c !== 'start', '/start is the bot’s own; a diversion link starts a flow with link')
    .optional(),
  keywords: keywords.optional(),
  /** A diversion link's code: its `/start` starts the flow. */
  link: z.string().min(1).optional(),
  steps: z.array(stepSchema).min(1),
})
export type Flow = z.infer<typeof flowSchema>

/** The flows of a project, by name; every `next` and `flow` reference is checked (see `checkFlows`). */
export const flowsSchema = z.record(flowName, flowSchema)
export type Flows = z.infer<typeof flowsSchema>

/** Every reference of the flows and auto-replies to a step or flow that is not there, as [path, problem]. */
export function checkFlows(flows: Flows, autoReplies: AutoReply[]): Array<[string, string]> {
  const problems: Array<[string, string]> = []
  const flowRef = (path: string, name: string | undefined) => {
    if (name !== undefined && !flows[name]) problems.push([path, `no flow "${name}"`])
  }
  for (const [name, flow] of Object.entries(flows)) {
    const ids = new Set<string>()
    flow.steps.forEach((step, i) => {
      if (ids.has(step.id)) problems.push([`flows.${name}.steps[${i}].id`, `a second step "${step.id}"`])
      ids.add(step.id)
    })
    flow.steps.forEach((step, i) => {
      const at = `flows.${name}.steps[${i}]`
      if (step.next !== undefined && !ids.has(step.next)) problems.push([`${at}.next`, `no step "${step.next}"`])
      step.buttons?.forEach((button, j) => {
        if (button.next !== undefined && !ids.has(button.next)) problems.push([`${at}.buttons[${j}].next`, `no step "${button.next}"`])
        flowRef(`${at}.buttons[${j}].flow`, button.flow)
      })
    })
  }
  autoReplies.forEach((reply, i) => reply.buttons?.forEach((button, j) => flowRef(`autoReplies[${i}].buttons[${j}].flow`, button.flow)))
  return problems
}

/** A zod path as the flow file's readers write it: `flows.inquiry.steps[2].buttons[0].next`. */
export function nodePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '')
}

/**
 * Reads a flows file (`flows:` at its top): the flows, or the problems with the path of each bad
 * node (`flows.inquiry.steps[2].buttons[0].next: no step "ordr"`).
 */
export function readFlowsFile(path: string, autoReplies: AutoReply[]): { ok: true; flows: Flows } | { ok: false; problems: string[] } {
  let raw: unknown
  try {
    raw = parseYaml(readFileSync(path, 'utf8'))
  } catch (error) {
    return { ok: false, problems: [`cannot read it: ${(error as Error).message.split(':\n')[0]}`] }
  }
  const parsed = z.strictObject({ flows: flowsSchema }).safeParse(raw ?? {})
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => `${nodePath(issue.path) || '(top)'}: ${issue.message}`) }
  const problems = checkFlows(parsed.data.flows, autoReplies)
  return problems.length ? { ok: false, problems: problems.map(([at, what]) => `${at}: ${what}`) } : { ok: true, flows: parsed.data.flows }
}
