export { BUILT_IN_TEXTS, createTexts, defaultTemplate, fillTemplate, TEXT_KEYS, type TextArgs, type Texts, type TextSettings } from './texts.js'
