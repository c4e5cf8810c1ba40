import { z } from 'zod'
import { resolveAssistants } from './assistant.js'

/** An ISO 639-1 language code, as the detector gives it: "en", "es". */
const languageCode = z.string().regex(/^[a-z]{2}$/, 'a two-letter language code like "en" or "es"')

/**
 * `projects[].translation`: conversations in the staff's language. Client messages in another
 * language gain a translation under the original in the topics; staff replies reach the client
 * in the client's language. Absent: no translation (and no language detection).
 */
export const translationSchema = z
  .strictObject({
    /** The language staff read and write. */
    staffLanguage: languageCode.default('en'),
    /** 'auto': any language the detector knows; a list: only these (others are left untranslated). */
    clientLanguages: z.union([z.literal('auto'), z.array(languageCode).min(1)]).default('auto'),
    /** Who translates: the project's assistant provider (`assistant`). */
    provider: z.literal('assistant').default('assistant'),
    /** How long a staff reply waits for its translation before it is sent untranslated. */
    waitSeconds: z.number().int().min(1).max(300).default(30),
  })
  .optional()

export type TranslationConfig = NonNullable<z.infer<typeof translationSchema>>

/** A project that translates needs an assistant to translate with (its own, or the deployment's). */
export function checkTranslation(config: Parameters<typeof resolveAssistants>[0], ctx: z.RefinementCtx): void {
  config.projects.forEach((project, i) => {
    if ('translation' in project && project.translation && !resolveAssistants(config, project))
      ctx.addIssue({
        code: 'custom',
        path: ['projects', i, 'translation', 'provider'],
        message: "translation needs the project's assistant: set assistant (baseUrl, model) here or deployment-wide",
      })
  })
}
