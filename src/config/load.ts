import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { redactText } from '../redaction.js'
import { configSchema, type Config } from './schema.js'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Validates a config object (tests build theirs with this). Throws one ConfigError naming each bad key. */
export function createConfig(input: unknown): Config {
  const result = configSchema.safeParse(input, { reportInput: true })
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${describeIssue(issue)}`)
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `missing; expected ${issue.expected}`
  if (issue.code === 'invalid_union') return 'expected a bot token like 123456:ABC-def, or a list of them'
  return issue.message
}

/**
 * Reads the YAML/JSON config file, substitutes `${VAR}` from the environment, then applies
 * the direct overrides DATABASE_URL and TELEGRAM_API_ROOT. Its errors name keys, lines and
 * columns but never quote a substituted value, a bot token or a URL password: `/reload` and the
 * log show them.
 */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`)
  }
  const missing = new Set<string>()
  const values: string[] = []
  // Whole-line comments are left alone: they may document the ${NAME} syntax itself.
  const substituted = text
    .split('\n')
    .map((line) =>
      line.trimStart().startsWith('#')
        ? line
        : line.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
            const value = env[name]
            if (value === undefined) missing.add(name)
            else values.push(value)
            return value ?? ''
          }),
    )
    .join('\n')
  if (missing.size > 0) throw new ConfigError(`Config ${path} refers to unset environment variables: ${[...missing].join(', ')}`)
  try {
    let raw: Record<string, unknown>
    try {
      raw = (parseYaml(substituted) ?? {}) as Record<string, unknown>
    } catch (error) {
      // The first line says what and where; the rest is an excerpt of the file after substitution.
      throw new ConfigError(`Config ${path} is not valid YAML/JSON: ${(error as Error).message.split(':\n')[0]}`)
    }
    return createConfig(applyEnvOverrides(raw, env))
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(redactText(error.message, values))
    throw error
  }
}

export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out = { ...raw }
  if (env.DATABASE_URL) out.database = { ...(out.database as object | undefined), url: env.DATABASE_URL }
  if (env.TELEGRAM_API_ROOT) out.telegram = { ...(out.telegram as object | undefined), apiRoot: env.TELEGRAM_API_ROOT }
  return out
}
