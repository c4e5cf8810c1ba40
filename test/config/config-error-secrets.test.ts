import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/index.js'

const dir = mkdtempSync(join(tmpdir(), 'topicdesk-config-secrets-'))

/** The ConfigError message loading `text` with `env` gives. */
function errorOf(text: string, env: Record<string, string>): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(file, text)
  try {
    loadConfig(file, env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('the config was accepted')
}

describe('config errors (shown by /reload in the log, and at start-up)', () => {
  it('name the line of a YAML error without quoting substituted values, tokens or URL passwords', () => {
    const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'
    const message = errorOf(['database:', '  url: mysql://topicdesk:${DB_PASSWORD}@db:3306/topicdesk', 'projects:', `  - bots: { client: "${token}, cs: "\${CS} }`].join('\n'), {
      DB_PASSWORD: 'hunter2-db',
      CS: '42:cs-token-from-env',
    })
    expect(message).toMatch(/not valid YAML\/JSON: .* at line 4/)
    for (const secret of ['hunter2-db', 'cs-token-from-env', token.split(':')[1]!]) expect(message).not.toContain(secret)
  })

  it('a validation error does not quote a substituted value either', () => {
    const message = errorOf(['database:', '  url: ${DATABASE_URL_ENV}', 'projects: []'].join('\n'), { DATABASE_URL_ENV: 'postgres://u:pw-secret@h/db' })
    expect(message).toContain('database.url')
    expect(message).not.toContain('pw-secret')
  })
})
