import { startApp, type App } from './app.js'
import { ConfigError, loadConfig } from './config/index.js'
import { createLogger } from './logger.js'

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
  const logger = createLogger(config.log.level)
  // SIGHUP re-reads the agents and staff lists (a bad file keeps the old ones, logged). Listened to
  // from the start, so a signal during start-up is not fatal: it is applied once started.
  const hangup: { app?: App; pending: boolean } = { pending: false }
  const reload = () => {
    if (!hangup.app) hangup.pending = true
    else void hangup.app.reloadRosters().catch((error: unknown) => logger.error({ err: error }, 'roster reload failed'))
  }
  process.on('SIGHUP', reload)
  const app = await startApp(config, logger, { configSource: () => loadConfig(path) })
  hangup.app = app
  if (hangup.pending) reload()
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    // A last resort if a stop step hangs (the drain itself is bounded by delivery.drainSeconds).
    setTimeout(
      () => {
        logger.error('shutdown did not finish in time; exiting')
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

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
