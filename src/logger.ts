import { pino, type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino'
import { loggable, loggableMessage } from './log-content.js'
import { redactText } from './redaction.js'

export type { Logger }

export interface LoggerOptions {
  /** Values never printed (bot tokens, passwords: `configSecrets`), read at each line (a reload may add some); Bot API URLs with a token never are either. */
  secrets?: readonly string[]
  /** Where the JSON lines go (tests capture them); stdout when absent. */
  destination?: DestinationStream
}

/**
 * The process logger; JSON lines on stdout. Child loggers carry bot, update and job ids. Every
 * line passes one filter, whoever logs it: errors lose query parameters, SQL and request payloads
 * and updates shrink to ids and kinds (unless the level is `debug` or `trace`, set deliberately),
 * and secrets are redacted from the finished line, stack traces and nested causes included.
 */
export function createLogger(level: string = 'info', options: LoggerOptions = {}): Logger {
  const shape = { detail: level === 'debug' || level === 'trace' }
  const secrets = options.secrets ?? []
  const settings: PinoOptions = {
    level,
    base: { service: 'topicdesk' },
    serializers: { err: (value: unknown) => loggable(value, shape) },
    formatters: { log: (fields) => loggable(fields, shape) as Record<string, unknown> },
    hooks: {
      // pino takes an error's own message as the line's message when none is given: use the cleaned one.
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[]
        if (first instanceof Error) return method.apply(this, [{ err: first }, ...(rest.length > 0 ? rest : [loggableMessage(first, shape)])] as never)
        const err = (first as { err?: unknown } | undefined)?.err
        if (rest.length === 0 && err instanceof Error) return method.apply(this, [first, loggableMessage(err, shape)] as never)
        return method.apply(this, args)
      },
      streamWrite: (line) => redactText(line, secrets),
    },
  }
  return options.destination ? pino(settings, options.destination) : pino(settings)
}

/**
 * Logs an uncaught exception or unhandled rejection as `fatal` (through the same filter as every
 * line) and exits 1: a crash never prints a raw error with a token in it.
 */
export function installCrashHandlers(logger: Logger): void {
  const crash = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error }, `topicdesk crashed (${kind})`)
    process.exit(1)
  }
  process.on('uncaughtException', crash('uncaught exception'))
  process.on('unhandledRejection', crash('unhandled rejection'))
}
