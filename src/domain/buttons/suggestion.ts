import { z } from 'zod'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { buttonId, defineButtonFamily } from './family.js'
import type { Keyboard } from './keyboard.js'

/**
 * A suggested reply's buttons: `sg:<suggestionId>:<customerId>:<send|edit|dismiss>`. Shown in the
 * customer's topic (to the owner, or to the topic's people); the binding checks the press is in
 * that customer's topic by someone working in the group, the domain that the suggestion still waits.
 */
export type SuggestionPress = { suggestionId: number; customerId: number; choice: 'send' | 'edit' | 'dismiss' }

export const suggestionButtons = defineButtonFamily<SuggestionPress>({
  prefix: 'sg',
  schema: z.tuple([buttonId, buttonId, z.enum(['send', 'edit', 'dismiss'])]).transform(([suggestionId, customerId, choice]) => ({ suggestionId, customerId, choice })),
  parts: (press) => [press.suggestionId, press.customerId, press.choice],
})

/** Send / Edit / Dismiss, side by side. */
export function suggestionKeyboard(project: ProjectRuntime, suggestionId: number, customerId: number): Keyboard {
  const t = textsOf(project)
  const button = (key: string, choice: SuggestionPress['choice']) => suggestionButtons.button(t.staff(key), { suggestionId, customerId, choice })
  return { inline_keyboard: [[button('suggestionSend', 'send'), button('suggestionEdit', 'edit'), button('suggestionDismiss', 'dismiss')]] }
}
