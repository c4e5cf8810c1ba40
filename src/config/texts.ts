import { defaultTemplate, type TextSettings } from '../texts/index.js'
import type { ProjectConfig } from './schema.js'

/**
 * A project's texts as the texts module takes them: the old-form overrides (`templates`, the
 * rating, reassignment, ban and flood texts) in the project's locale, under `texts.<locale>`.
 */
export function textSettings(config: ProjectConfig): TextSettings {
  const oldForm: Record<string, string> = {
    ...config.templates,
    ratingPrompt: config.resolve.ratingPrompt,
    ratingThanks: config.resolve.ratingThanks,
    reassignedClient: config.reassignment.clientTemplate,
    bannedReply: config.relay.bannedReply,
    slowDownReply: config.flood.slowDownReply,
  }
  // An old-form text left at its built-in English default is no override (a built-in translation may then speak for it).
  const customised = Object.fromEntries(Object.entries(oldForm).filter(([key, text]) => config.locale !== 'en' || text !== defaultTemplate(key)))
  const overrides = { ...config.texts, [config.locale]: { ...customised, ...config.texts[config.locale] } }
  return { locale: config.locale, ...(config.staffLocale ? { staffLocale: config.staffLocale } : {}), overrides }
}
