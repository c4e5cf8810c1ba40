import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { redactText } from '../redaction.js'
import { checkFlows, readFlowsFile } from './flows.js'
import { resolveKnowledgeFolders } from './knowledge.js'
import { configSchema, type Config } from './schema.js'
import { describeUnknownKey, knownKeysAt } from './strict-keys.js'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Validates a config object (tests build theirs with this). Throws one ConfigError naming each bad
 * key; an unknown key (every object is strict) is named with the nearest known key.
 */
export function createConfig(input: unknown, options: { baseDir?: string } = {}): Config {
  const result = configSchema.safeParse(input, { reportInput: true })
  if (result.success) return resolveKnowledgeFolders(withFlows(result.data, options.baseDir ?? process.cwd()), options.baseDir ?? process.cwd())
  const lines = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => line([...issue.path, key], describeUnknownKey(key, knownKeysAt(configSchema, issue.path) ?? [])))
      : [line(issue.path, describeIssue(issue))],
  )
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
}

/**
 * Reads each project's flows file (relative to `baseDir`, the config file's folder) and checks
 * every flow reference: a broken file refuses the whole config, naming the bad node, so a reload
 * with one keeps the old flows.
 */
function withFlows(config: Config, baseDir: string): Config {
  const lines: string[] = []
  for (const [i, project] of config.projects.entries()) {
    if (project.flowsFile !== undefined) {
      const read = readFlowsFile(resolve(baseDir, project.flowsFile), project.autoReplies)
      if (read.ok) project.flows = read.flows
      else lines.push(...read.problems.map((problem) => `  - projects.${i}.flowsFile (${project.flowsFile}): ${problem}`))
    } else {
      for (const [at, problem] of checkFlows(project.flows ?? {}, project.autoReplies)) lines.push(`  - projects.${i}.${at}: ${problem}`)
    }
  }
  if (lines.length) throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  return config
}

const line = (path: ReadonlyArray<PropertyKey>, text: string) => `  - ${path.map(String).join('.') || '(root)'}: ${text}`

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `missing; expected ${issue.expected}`
  if (issue.code === 'invalid_union') return 'expected a bot token like 123456:ABC-def, or a list of them'
  return issue.message
}

/**
 * Reads the YAML/JSON config file, substitutes `${VAR}` from the environment, then applies
 * the direct overrides (`applyEnvOverrides`). Its errors name keys, lines and columns but never
 * quote a substituted value, a bot token or a URL password: `/reload` and the log show them.
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
    return createConfig(applyEnvOverrides(raw, env), { baseDir: dirname(path) })
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(redactText(error.message, values))
    throw error
  }
}

/**
 * DATABASE_URL, DATABASE_URLS (comma-separated), TELEGRAM_API_ROOT, TOPICDESK_HTTP_HOST and TOPICDESK_HTTP_PORT replace their keys
 * (the container image sets the admin server's host and port this way); `http: false` stays off.
 */
export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out = { ...raw }
  if (env.DATABASE_URL) out.database = { ...(out.database as object | undefined), url: env.DATABASE_URL }
  if (env.DATABASE_URLS)
    out.database = {
      ...(out.database as object | undefined),
      urls: env.DATABASE_URLS.split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    }
  if (env.TELEGRAM_API_ROOT) out.telegram = { ...(out.telegram as object | undefined), apiRoot: env.TELEGRAM_API_ROOT }
  if (out.http !== false && (env.TOPICDESK_HTTP_HOST || env.TOPICDESK_HTTP_PORT)) {
    const http = { ...(out.http as object | undefined) } as Record<string, unknown>
    if (env.TOPICDESK_HTTP_HOST) http.host = env.TOPICDESK_HTTP_HOST
    if (env.TOPICDESK_HTTP_PORT) http.port = portFromEnv(env.TOPICDESK_HTTP_PORT)
    out.http = http
  }
  return out
}

function portFromEnv(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new ConfigError(`TOPICDESK_HTTP_PORT must be a port number (0–65535), not "${value}"`)
  return port
}
