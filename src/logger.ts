import { pino, type Logger } from 'pino'

export type { Logger }

/** The process logger; JSON lines on stdout. Child loggers carry bot, update and job ids. */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { service: 'topicdesk' } })
}
