import { describe, expect, it } from 'vitest'
import { ConfigError, createConfig } from '../../src/config/index.js'
import type { ConfigInput } from '../../src/config/schema.js'

const withPhrases = (riskPhrases: unknown): ConfigInput =>
  ({
    database: { url: 'mysql://u:p@127.0.0.1:3306/db' },
    projects: [
      {
        key: 'acme',
        name: 'Acme',
        bots: { client: '11:a', cs: '12:b', cr: '13:c' },
        groups: { cs: { chatId: -11 }, cr: [{ key: 'north', title: 'North', chatId: -12 }] },
        riskPhrases,
      },
    ],
  }) as ConfigInput

describe('projects[].riskPhrases', () => {
  it('takes phrases and /regex/ patterns, with the prompt defaults', () => {
    const project = createConfig(withPhrases([{ name: 'promo', mode: 'block', patterns: ['BETA-25', '/0x[0-9a-f]{40}/'] }])).projects[0]!
    expect(project.riskPhrases).toEqual([{ name: 'promo', mode: 'block', patterns: ['BETA-25', '/0x[0-9a-f]{40}/'] }])
    expect(project.riskPrompt).toEqual({ fallbackSeconds: 60, validMinutes: 10 })
  })

  it('refuses a pattern RE2 cannot compile, naming the key', () => {
    const refused = () => createConfig(withPhrases([{ name: 'promo', mode: 'block', patterns: ['/(a+/'] }]))
    expect(refused).toThrow(ConfigError)
    expect(refused).toThrow(/projects\.0\.riskPhrases\.0\.patterns\.0.*not a valid regular expression/s)
  })
})
