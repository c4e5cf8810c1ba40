import type { Config } from './schema.js'

/** The configured values the log must never show: every bot token, the database password, the webhook secret. */
export function configSecrets(config: Config): string[] {
  const secrets: string[] = []
  for (const project of config.projects) {
    for (const tokens of Object.values(project.bots)) if (tokens) secrets.push(...(Array.isArray(tokens) ? tokens : [tokens]))
  }
  const password = databasePassword(config.database.url)
  if (password) secrets.push(password, decoded(password))
  if (config.telegram.webhook) secrets.push(config.telegram.webhook.secret)
  return [...new Set(secrets)]
}

function databasePassword(url: string): string | undefined {
  try {
    return new URL(url).password || undefined
  } catch {
    return undefined
  }
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
