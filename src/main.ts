import { startApp, type App } from './app.js'
import { ConfigError, configSecrets, loadConfig } from './config/index.js'
import { readingSecretsInto } from './config/secrets.js'
import { createLogger, installCrashHandlers, type Logger } from './logger.js'
import { redactText } from './redaction.js'

/** Set once the config is read; from then on every crash is logged through its filter (no tokens). */
let logger: Logger | undefined

/** `npm start`: reads the config (TOPICDESK_CONFIG or config/topicdesk.yaml) and runs every bot. */
async function main(): Promise<void> {
  const path = process.env.TOPICDESK_CONFIG ?? 'config/topicdesk.yaml'
  let config
  try {
    config = loadConfig(path)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(2)
    }
    throw error
  }
  // The logger reads this list at each line; a reload adds the secrets it reads (a new bot token).
  const secrets = configSecrets(config)
  const log = createLogger(config.log.level, { secrets })
  logger = log
  installCrashHandlers(log)
  // SIGHUP re-reads the agents and staff lists (a bad file keeps the old ones, logged). Listened to
  // from the start, so a signal during start-up is not fatal: it is applied once started.
  const hangup: { app?: App; pending: boolean } = { pending: false }
  const reload = () => {
    if (!hangup.app) hangup.pending = true
    else void hangup.app.reloadRosters().catch((error: unknown) => log.error({ err: error }, 'roster reload failed'))
  }
  process.on('SIGHUP', reload)
  const app = await startApp(config, log, { configSource: readingSecretsInto(secrets, () => loadConfig(path)) })
  hangup.app = app
  if (hangup.pending) reload()
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    // A last resort if a stop step hangs (the drain itself is bounded by delivery.drainSeconds).
    setTimeout(
      () => {
        log.error('shutdown did not finish in time; exiting')
        process.exit(1)
      },
      (config.delivery.drainSeconds + 30) * 1000,
    ).unref()
    await app.stop()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch((error: unknown) => {
  // ConfigErrors are answered above; this is a start-up failure (the database, Telegram…).
  if (logger) logger.fatal({ err: error }, 'topicdesk could not start')
  else console.error(redactText(error instanceof Error ? (error.stack ?? error.message) : String(error)))
  process.exit(1)
})
