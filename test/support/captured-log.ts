import { createLogger } from '../../src/logger.js'

/** A logger writing into an array, as the service's writes to stdout; `lines` parses what it wrote. */
export function capturedLogger(level = 'info', secrets: string[] = []) {
  const written: string[] = []
  const logger = createLogger(level, { secrets, destination: { write: (line: string) => void written.push(line) } })
  return {
    logger,
    output: () => written.join(''),
    lines: () => written.map((line) => JSON.parse(line) as { level: number; msg: string; [key: string]: unknown }),
  }
}
