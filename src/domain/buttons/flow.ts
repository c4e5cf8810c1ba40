import { z } from 'zod'
import { buttonId, defineButtonFamily } from './family.js'

/**
 * The buttons under an automatic answer in the client's chat: `fl:p:<customerId>` (talk to a
 * person), `fl:s:<customerId>:<flow>` (start a flow), `fl:b:<customerId>:<flow>:<step>:<i>` (the
 * i-th button of a flow step, looked up in the current flows when pressed).
 */
export type FlowPress =
  { kind: 'person'; customerId: number } | { kind: 'start'; customerId: number; flow: string } | { kind: 'step'; customerId: number; flow: string; step: string; index: number }

const name = z.string().regex(/^[a-z0-9_-]{1,16}$/)

export const flowButtons = defineButtonFamily<FlowPress>({
  prefix: 'fl',
  schema: z.union([
    z.tuple([z.literal('p'), buttonId]).transform(([, customerId]) => ({ kind: 'person' as const, customerId })),
    z.tuple([z.literal('s'), buttonId, name]).transform(([, customerId, flow]) => ({ kind: 'start' as const, customerId, flow })),
    z
      .tuple([z.literal('b'), buttonId, name, name, z.string().regex(/^\d$/).transform(Number)])
      .transform(([, customerId, flow, step, index]) => ({ kind: 'step' as const, customerId, flow, step, index })),
  ]),
  parts: (press) =>
    press.kind === 'person' ? ['p', press.customerId] : press.kind === 'start' ? ['s', press.customerId, press.flow] : ['b', press.customerId, press.flow, press.step, press.index],
})
