import { ConfigError, loadConfig } from '../config/index.js'
import { renderReport, runDoctor } from '../doctor/run-doctor.js'

/**
 * `npm run doctor [-- path/to/config.yaml]`: checks the config against the Bot API (or the
 * simulator) and the database; prints one ✓/✗ table with a fix per ✗, exits 1 on any ✗.
 */
const path = process.argv[2] ?? process.env.TOPICDESK_CONFIG ?? 'config/topicdesk.yaml'
try {
  const rows = await runDoctor(loadConfig(path))
  console.log(renderReport(rows))
  process.exit(rows.every((r) => r.ok) ? 0 : 1)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.log(`✗ config  ${path}\n${error.message}\n  → fix the config file; nothing else was checked`)
  process.exit(1)
}
