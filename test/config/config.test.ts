import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, createConfig, loadConfig } from '../../src/config/index.js'

const minimal = {
  database: { url: 'mysql://u:p@127.0.0.1:3306/db' },
  projects: [
    {
      key: 'acme',
      name: 'Acme',
      bots: { client: '1:a', cs: ['2:b', '5:e'], cr: '3:c' },
      groups: { cs: { chatId: -1001 }, cr: [{ key: 'north', title: 'North', chatId: -1002 }] },
    },
  ],
}

describe('config', () => {
  it('fills defaults and normalises single tokens into pools', () => {
    const config = createConfig(minimal)
    expect(config.telegram.apiRoot).toBe('https://api.telegram.org')
    expect(config.projects[0]!.bots.client).toEqual(['1:a'])
    expect(config.projects[0]!.bots.cs).toEqual(['2:b', '5:e'])
    expect(config.projects[0]!.relay.notePrefix).toBe('//')
    expect(config.projects[0]!.templates.askEmail).toMatch(/email/)
  })

  it('names every bad key in one error', () => {
    const bad = structuredClone(minimal) as Record<string, any>
    bad.projects[0].groups.cs.chatId = 42
    delete bad.projects[0].name
    bad.telegram = { apiRoot: 'http://localhost:8081/' }
    expect(() => createConfig(bad)).toThrow(ConfigError)
    try {
      createConfig(bad)
    } catch (error) {
      const message = (error as Error).message
      expect(message).toContain('projects.0.groups.cs.chatId: a supergroup chat id')
      expect(message).toContain('projects.0.name: missing')
      expect(message).toContain('telegram.apiRoot: a URL without a trailing slash')
    }
  })

  it('refuses one token used for two roles and duplicate CR team keys', () => {
    const bad = structuredClone(minimal) as Record<string, any>
    bad.projects[0].bots.cr = '1:a'
    bad.projects[0].groups.cr.push({ key: 'north', title: 'Again', chatId: -1003 })
    expect(() => createConfig(bad)).toThrow(/already used at projects\.0\.bots\.client[\s\S]*duplicate CR team key "north"/)
  })

  it('loads YAML with ${VAR} substitution and environment overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topicdesk-config-'))
    const file = join(dir, 'config.yaml')
    writeFileSync(
      file,
      ['database: { url: "mysql://ignored@h/db" }', 'projects:', '  - key: acme', '    name: Acme', '    bots: { client: "${CLIENT_TOKEN}", cs: "2:b", cr: "3:c" }', '    groups: { cs: { chatId: -1001 }, cr: [{ key: n, title: N, chatId: -1002 }] }'].join('\n'),
    )
    const config = loadConfig(file, { CLIENT_TOKEN: '9:zz', DATABASE_URL: 'mysql://real@h/db', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' })
    expect(config.projects[0]!.bots.client).toEqual(['9:zz'])
    expect(config.database.url).toBe('mysql://real@h/db')
    expect(config.telegram.apiRoot).toBe('http://127.0.0.1:8081')
    expect(() => loadConfig(file, {})).toThrow('refers to unset environment variables: CLIENT_TOKEN')
    expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow('Cannot read config file')
  })
})
