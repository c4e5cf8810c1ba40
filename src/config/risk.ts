import { z } from 'zod'
import { riskPatternProblem } from '../shared/risk-text.js'

/** A risk-phrase name: short, as `/risk add <name>` takes it. */
export const riskPhraseName = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'a name of 1-32 letters a-z, digits, _ and -')

/** `projects[].riskPhrases[]`: the starting set of a project's risk phrases (CS leads change it with /risk). */
export const riskPhraseSchema = z.strictObject({
  name: riskPhraseName,
  /** confirm: the author must press "Send anyway"; block: never relayed. */
  mode: z.enum(['confirm', 'block']),
  /** Phrases (case-insensitive, whole words, look-alike characters folded) or `/regex/` (RE2). */
  patterns: z
    .array(
      z.string().superRefine((pattern, ctx) => {
        const problem = riskPatternProblem(pattern)
        if (problem) ctx.addIssue({ code: 'custom', message: problem })
      }),
    )
    .min(1),
})

/** `projects[].riskPrompt`: how the "Send anyway / Cancel" prompt of a confirm phrase behaves. */
export const riskPromptSchema = z
  .strictObject({
    /** The prompt is shown ephemerally; with no press by then it is posted as a normal reply too. */
    fallbackSeconds: z.number().int().min(1).default(60),
    /** After this, the held message is expired as cancelled. */
    validMinutes: z.number().int().min(1).default(10),
  })
  .prefault({})
