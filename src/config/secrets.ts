import type { Config } from './schema.js'

/**
 * The configured values the log must never show: every bot token and the webhook secret. The
 * database password is not listed (it may be a common word, "topicdesk" say): the log redacts
 * every URL's password where a URL shows it (src/redaction.ts).
 */
export function configSecrets(config: Config): string[] {
  const secrets: string[] = []
  for (const project of config.projects) {
    for (const tokens of Object.values(project.bots)) if (tokens) secrets.push(...(Array.isArray(tokens) ? tokens : [tokens]))
  }
  if (config.telegram.webhook) secrets.push(config.telegram.webhook.secret)
  // The assistant's API keys, read from the environment variables the config names.
  for (const project of config.projects) {
    for (const name of [project.assistant?.apiKeyEnv, project.assistant?.embedding?.apiKeyEnv]) {
      const key = name ? process.env[name] : undefined
      if (key) secrets.push(key)
    }
  }
  return [...new Set(secrets)]
}

/**
 * The config reader for reloads (SIGHUP, `/reload`): every secret of what it reads joins
 * `secrets`, the list the logger redacts (read at each line), so a token put in by a reload is
 * redacted from then on like those read at start-up.
 */
export function readingSecretsInto(secrets: string[], read: () => Config): () => Config {
  return () => {
    const config = read()
    for (const secret of configSecrets(config)) if (!secrets.includes(secret)) secrets.push(secret)
    return config
  }
}
