export { createConfig, loadConfig, ConfigError } from './load.js'
export type { Config, ConfigInput, ProjectConfig, StaffRole, Templates } from './schema.js'
export { configSecrets } from './secrets.js'
export { textSettings } from './texts.js'
