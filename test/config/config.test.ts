/* eslint-disable @typescript-eslint/no-explicit-any -- these tests break a valid config at arbitrary paths through a loose copy */
/* oxlint-disable typescript/no-unsafe-member-access, typescript/no-unsafe-call -- the same */
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
    expect(config.projects[0]!.bots.client).toBe('1:a')
    expect(config.projects[0]!.bots.cs).toEqual(['2:b', '5:e'])
    expect(config.projects[0]!.relay.notePrefix).toBe('//')
    expect(config.projects[0]!.templates.askEmail).toMatch(/email/)
    expect(config.retention.days).toBe(30)
    expect(config.cron.retention).toBe('30 3 * * *')
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

  it('refuses a list of client bots: a client talks to one bot', () => {
    for (const client of [['1:a', '6:f'], ['1:a']]) {
      const bad = structuredClone(minimal) as Record<string, any>
      bad.projects[0].bots.client = client
      expect(() => createConfig(bad)).toThrow('projects.0.bots.client: one bot token; a client talks to one bot, so a list of client bots is not supported')
    }
  })

  it('refuses a chat id used twice, within or across projects', () => {
    const bad = structuredClone(minimal) as Record<string, any>
    bad.projects[0].groups.cr.push({ key: 'south', title: 'South', chatId: -1001 })
    bad.projects[0].groups.treatment = { chatId: -1002 }
    const second = structuredClone(minimal.projects[0]) as Record<string, any>
    Object.assign(second, { key: 'beta', bots: { client: '7:g', cs: '8:h', cr: '9:i' } })
    second.groups = { cs: { chatId: -1009 }, cr: [{ key: 'north', title: 'North', chatId: -1002 }] }
    bad.projects.push(second)
    expectRefused(
      bad,
      'projects.0.groups.cr.1.chatId: chat id -1001 is already used at projects.0.groups.cs.chatId; each group needs its own chat',
      'projects.0.groups.treatment.chatId: chat id -1002 is already used at projects.0.groups.cr.0.chatId',
      'projects.1.groups.cr.0.chatId: chat id -1002 is already used at projects.0.groups.cr.0.chatId',
    )
  })

  it('refuses a project key used twice', () => {
    const bad = structuredClone(minimal) as Record<string, any>
    const second = structuredClone(minimal.projects[0]) as Record<string, any>
    Object.assign(second, { bots: { client: '7:g', cs: '8:h', cr: '9:i' }, groups: { cs: { chatId: -1008 }, cr: [{ key: 'north', title: 'North', chatId: -1009 }] } })
    bad.projects.push(second)
    expect(errorOf(bad)).toContain('projects.1.key: project key "acme" is already used by projects.0')
  })

  it('refuses empty templates', () => {
    const bad = structuredClone(minimal) as Record<string, any>
    bad.projects[0].templates = { askEmail: '', welcomeClient: '  ' }
    bad.projects[0].reassignment = { clientTemplate: '' }
    expectRefused(bad, ...['templates.askEmail', 'templates.welcomeClient', 'reassignment.clientTemplate'].map((key) => `projects.0.${key}: a non-empty text`))
  })

  it('fills the reminder defaults and refuses a bad time zone, bad hours and a reply without hours', () => {
    const sla = createConfig(minimal).projects[0]!.sla
    expect(sla).toEqual({ enabled: true, firstReminderMinutes: 10, escalateMinutes: 30 })
    const withHours = structuredClone(minimal) as Record<string, any>
    withHours.projects[0].sla = { businessHours: { timeZone: 'Europe/Berlin' } }
    expect(createConfig(withHours).projects[0]!.sla).toMatchObject({
      businessHours: { timeZone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' },
    })
    const off = structuredClone(minimal) as Record<string, any>
    off.projects[0].sla = { enabled: false }
    expect(createConfig(off).projects[0]!.sla.enabled).toBe(false)
    const bad = structuredClone(minimal) as Record<string, any>
    bad.projects[0].sla = { escalateMinutes: 5, businessHours: { timeZone: 'Europe/Berln', days: ['monday'], from: '9:00', to: '24:00' }, outsideHoursReply: '' }
    expectRefused(
      bad,
      'projects.0.sla.businessHours.timeZone: an IANA time zone like "Europe/Berlin", not "Europe/Berln"',
      'projects.0.sla.businessHours.days.0:',
      'projects.0.sla.businessHours.from: the opening time as HH:MM',
      'projects.0.sla.outsideHoursReply: a non-empty text',
    )
    const inverted = structuredClone(minimal) as Record<string, any>
    inverted.projects[0].sla = { escalateMinutes: 5, businessHours: { timeZone: 'UTC', from: '18:00', to: '09:00' }, outsideHoursReply: 'We are closed.' }
    expectRefused(inverted, 'projects.0.sla.businessHours.to: from must be before to', 'projects.0.sla.escalateMinutes: escalateMinutes must not be below firstReminderMinutes')
    const noHours = structuredClone(minimal) as Record<string, any>
    noHours.projects[0].sla = { outsideHoursReply: 'We are closed.' }
    expectRefused(noHours, 'projects.0.sla.outsideHoursReply: outsideHoursReply needs businessHours')
  })

  it('refuses invalid cron schedules before anything starts', () => {
    const bad = structuredClone(minimal) as Record<string, any>
    bad.cron = { reassignments: 'every minute', idleTopics: '61 * * * *', recordsSync: '*/5 * * * * *' }
    expectRefused(bad, 'cron.reassignments: a valid cron schedule like "*/15 * * * *", not "every minute"', 'cron.idleTopics: a valid cron schedule')
    expect(errorOf(bad)).not.toContain('cron.recordsSync')
  })

  it('checks the webhook URL against the hosted Bot API rules only when talking to api.telegram.org', () => {
    const webhook = (publicUrl: string, apiRoot?: string) => ({ ...minimal, telegram: { apiRoot, mode: 'webhook', webhook: { publicUrl, secret: 'a-long-enough-secret' } } })
    expect(errorOf(webhook('http://relay.example.com'))).toContain('telegram.webhook.publicUrl: Telegram posts webhooks only over HTTPS')
    expect(errorOf(webhook('https://relay.example.com:8080'))).toContain('telegram.webhook.publicUrl: Telegram posts webhooks only to ports 80, 88, 443 or 8443, not 8080')
    for (const ok of ['https://relay.example.com', 'https://relay.example.com:8443', 'https://relay.example.com:88/tg']) expect(() => createConfig(webhook(ok))).not.toThrow()
    // A local Bot API server or the simulator accepts any URL.
    expect(() => createConfig(webhook('http://127.0.0.1:8080', 'http://127.0.0.1:8081'))).not.toThrow()
  })

  it('loads YAML with ${VAR} substitution and environment overrides', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topicdesk-config-'))
    const file = join(dir, 'config.yaml')
    writeFileSync(
      file,
      [
        'database: { url: "mysql://ignored@h/db" }',
        'projects:',
        '  - key: acme',
        '    name: Acme',
        '    bots: { client: "${CLIENT_TOKEN}", cs: "2:b", cr: "3:c" }',
        '    groups: { cs: { chatId: -1001 }, cr: [{ key: n, title: N, chatId: -1002 }] }',
      ].join('\n'),
    )
    const config = loadConfig(file, { CLIENT_TOKEN: '9:zz', DATABASE_URL: 'mysql://real@h/db', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' })
    expect(config.projects[0]!.bots.client).toBe('9:zz')
    expect(config.database.url).toBe('mysql://real@h/db')
    expect(config.telegram.apiRoot).toBe('http://127.0.0.1:8081')
    expect(() => loadConfig(file, {})).toThrow('refers to unset environment variables: CLIENT_TOKEN')
    // The shipped example documents ${NAME} in a comment: comments are left alone.
    const example = loadConfig('config/example.yaml', {
      DATABASE_URL: 'mysql://u@h/db',
      ...Object.fromEntries(['CLIENT', 'CS', 'CR', 'TREATMENT'].map((role, i) => [`ACME_${role}_BOT_TOKEN`, `${i + 1}:t`])),
    })
    expect(example.retention.days).toBe(30)
    expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow('Cannot read config file')
  })
})

describe('database urls (the nodes of a cluster)', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'topicdesk-db-')), 'config.json')
  const load = (database: unknown, env: NodeJS.ProcessEnv = {}) => {
    writeFileSync(file, JSON.stringify({ ...minimal, database }))
    return loadConfig(file, env).database
  }

  it('url alone is a list of one; urls alone gives url its first; DATABASE_URLS is a comma-separated urls', () => {
    expect(load({ url: 'mysql://a/db' })).toEqual({ url: 'mysql://a/db', urls: ['mysql://a/db'] })
    expect(load({ urls: ['mysql://a/db', 'mysql://b/db'] })).toEqual({ url: 'mysql://a/db', urls: ['mysql://a/db', 'mysql://b/db'] })
    expect(load({ url: 'mysql://a/db' }, { DATABASE_URLS: 'mysql://b/db, mysql://c/db' })).toEqual({ url: 'mysql://a/db', urls: ['mysql://b/db', 'mysql://c/db'] })
    expect(() => load({})).toThrow('database needs url or urls')
    expect(() => load({ urls: ['postgres://a/db'] })).toThrow('a mysql:// URL')
  })
})

describe('environment overrides of the admin server', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'topicdesk-http-')), 'config.json')
  const load = (http: unknown, env: NodeJS.ProcessEnv) => {
    writeFileSync(file, JSON.stringify({ ...minimal, ...(http === undefined ? {} : { http }) }))
    return loadConfig(file, env).http
  }

  it('TOPICDESK_HTTP_HOST and TOPICDESK_HTTP_PORT replace http.host and http.port', () => {
    expect(load(undefined, { TOPICDESK_HTTP_HOST: '0.0.0.0', TOPICDESK_HTTP_PORT: '9191' })).toEqual({ host: '0.0.0.0', port: 9191 })
    expect(load({ host: '127.0.0.1', port: 9000 }, { TOPICDESK_HTTP_PORT: '0' })).toEqual({ host: '127.0.0.1', port: 0 })
    expect(load({ port: 9000 }, {})).toEqual({ host: '127.0.0.1', port: 9000 })
  })

  it('keeps a server turned off in the file off, and refuses a port that is not one', () => {
    expect(load(false, { TOPICDESK_HTTP_HOST: '0.0.0.0', TOPICDESK_HTTP_PORT: '9090' })).toBe(false)
    expect(() => load(undefined, { TOPICDESK_HTTP_PORT: 'nine' })).toThrow('TOPICDESK_HTTP_PORT must be a port number (0–65535), not "nine"')
    expect(() => load(undefined, { TOPICDESK_HTTP_PORT: '70000' })).toThrow(ConfigError)
  })
})

function errorOf(input: unknown): string {
  try {
    createConfig(input)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('the config was accepted')
}

function expectRefused(input: unknown, ...issues: string[]): void {
  const message = errorOf(input)
  for (const issue of issues) expect(message).toContain(issue)
}
