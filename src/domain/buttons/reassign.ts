import { z } from 'zod'
import { buttonId, buttonTeamKey, defineButtonFamily } from './family.js'
import type { Keyboard } from './keyboard.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'

/**
 * The reassignment buttons, all bound to a customer: the menu on the CS profile card
 * (`ra:m:<customer>`), a team (`ra:t:<customer>:<team>`), when (`ra:w:<customer>:<team>:<now|tonight>`)
 * and cancelling a planned move (`ra:c:<customer>:<reassignment>`). Pressed by CS leads, in the
 * customer's CS topic only.
 */
export type ReassignButton =
  | { kind: 'menu'; customerId: number }
  | { kind: 'team'; customerId: number; teamKey: string }
  | { kind: 'when'; customerId: number; teamKey: string; when: 'now' | 'tonight' }
  | { kind: 'cancel'; customerId: number; reassignmentId: number }

export const reassignButtons = defineButtonFamily<ReassignButton>({
  prefix: 'ra',
  schema: z.union([
    z.tuple([z.literal('m'), buttonId]).transform(([, customerId]) => ({ kind: 'menu' as const, customerId })),
    z.tuple([z.literal('t'), buttonId, buttonTeamKey]).transform(([, customerId, teamKey]) => ({ kind: 'team' as const, customerId, teamKey })),
    z
      .tuple([z.literal('w'), buttonId, buttonTeamKey, z.enum(['now', 'tonight'])])
      .transform(([, customerId, teamKey, when]) => ({ kind: 'when' as const, customerId, teamKey, when })),
    z.tuple([z.literal('c'), buttonId, buttonId]).transform(([, customerId, reassignmentId]) => ({ kind: 'cancel' as const, customerId, reassignmentId })),
  ]),
  parts: (button) => {
    switch (button.kind) {
      case 'menu':
        return ['m', button.customerId]
      case 'team':
        return ['t', button.customerId, button.teamKey]
      case 'when':
        return ['w', button.customerId, button.teamKey, button.when]
      case 'cancel':
        return ['c', button.customerId, button.reassignmentId]
    }
  },
})

export const encodeReassignButton = reassignButtons.encode
export const decodeReassignButton = reassignButtons.decode

const keyboard = (rows: Array<Array<{ text: string; button: ReassignButton }>>): Keyboard => ({
  inline_keyboard: rows.map((row) => row.map(({ text, button }) => reassignButtons.button(text, button))),
})

/** The profile card's "Reassign CR" button. */
export const reassignMenuKeyboard = (project: ProjectRuntime, customerId: number) =>
  keyboard([[{ text: textsOf(project).staff('reassignMenuButton'), button: { kind: 'menu', customerId } }]])

/** One button per CR team the customer is not in. */
export const reassignTeamsKeyboard = (customerId: number, teams: Array<{ key: string; title: string }>) =>
  keyboard(teams.map((team) => [{ text: `→ ${team.title}`, button: { kind: 'team', customerId, teamKey: team.key } }]))

export const reassignWhenKeyboard = (project: ProjectRuntime, customerId: number, teamKey: string) =>
  keyboard([
    [
      { text: textsOf(project).staff('reassignNowButton'), button: { kind: 'when', customerId, teamKey, when: 'now' } },
      {
        text: textsOf(project).staff('reassignTonightButton', { hour: project.config.reassignment.tonightHourUtc }),
        button: { kind: 'when', customerId, teamKey, when: 'tonight' },
      },
    ],
  ])

export const reassignCancelKeyboard = (project: ProjectRuntime, customerId: number, reassignmentId: number) =>
  keyboard([[{ text: textsOf(project).staff('reassignCancelButton'), button: { kind: 'cancel', customerId, reassignmentId } }]])
