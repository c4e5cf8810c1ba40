import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { z } from 'zod'
import { buttonId, defineButtonFamily } from './family.js'
import type { Keyboard } from './keyboard.js'

/**
 * A risk prompt's buttons: `rk:<promptId>:<send|cancel>`. Shown to the author of a staff message
 * held by a confirm phrase; only they may press (checked by the domain against the prompt's row).
 */
export type RiskPromptPress = { promptId: number; choice: 'send' | 'cancel' }

export const riskPromptButtons = defineButtonFamily<RiskPromptPress>({
  prefix: 'rk',
  schema: z.tuple([buttonId, z.enum(['send', 'cancel'])]).transform(([promptId, choice]) => ({ promptId, choice })),
  parts: (press) => [press.promptId, press.choice],
})

/** Send anyway / Cancel, side by side. */
export function riskPromptKeyboard(project: ProjectRuntime, promptId: number): Keyboard {
  return {
    inline_keyboard: [
      [
        riskPromptButtons.button(textsOf(project).staff('riskSendAnyway'), { promptId, choice: 'send' }),
        riskPromptButtons.button(textsOf(project).staff('riskCancel'), { promptId, choice: 'cancel' }),
      ],
    ],
  }
}
