import { describe, expect, it } from 'vitest'
import { ConfigError, createConfig } from '../../src/config/index.js'
import type { ConfigInput } from '../../src/config/schema.js'
import { textSettings } from '../../src/config/texts.js'
import { createTexts } from '../../src/texts/index.js'

const project = (extra: Record<string, unknown>, assistant: unknown = { baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2' }) =>
  ({
    database: { url: 'mysql://u:p@127.0.0.1:3306/db' },
    ...(assistant ? { assistant } : {}),
    projects: [
      {
        key: 'acme',
        name: 'Acme',
        bots: { client: '11:a', cs: '12:b', cr: '13:c' },
        groups: { cs: { chatId: -11 }, cr: [{ key: 'north', title: 'North', chatId: -12 }] },
        ...extra,
      },
    ],
  }) as unknown as ConfigInput

describe('projects[].translation', () => {
  it('is off when absent, and takes its defaults when present', () => {
    expect(createConfig(project({})).projects[0]!.translation).toBeUndefined()
    expect(createConfig(project({ translation: {} })).projects[0]!.translation).toEqual({ staffLanguage: 'en', clientLanguages: 'auto', provider: 'assistant', waitSeconds: 30 })
    expect(createConfig(project({ translation: { staffLanguage: 'de', clientLanguages: ['es', 'fr'] } })).projects[0]!.translation).toMatchObject({
      staffLanguage: 'de',
      clientLanguages: ['es', 'fr'],
    })
  })

  it('refuses unknown keys and bad language codes, naming the key', () => {
    expect(() => createConfig(project({ translation: { staffLanguage: 'english' } }))).toThrow(/projects\.0\.translation\.staffLanguage/)
    expect(() => createConfig(project({ translation: { clientLanguages: 'all' } }))).toThrow(ConfigError)
    expect(() => createConfig(project({ translation: { provider: 'deepl' } }))).toThrow(/projects\.0\.translation\.provider/)
    expect(() => createConfig(project({ translation: { model: 'x' } }))).toThrow(/translation/)
  })

  it('needs an assistant to translate with', () => {
    expect(() => createConfig(project({ translation: {} }, null))).toThrow(/projects\.0\.translation\.provider.*needs the project's assistant/s)
    expect(createConfig(project({}, null)).projects[0]!.translation).toBeUndefined()
  })
})

describe('client texts in the built-in Spanish', () => {
  it("greet a Spanish-speaking client in Spanish where the project kept the built-in English, and in the project's own words where it wrote them", () => {
    const plain = createTexts(textSettings(createConfig(project({})).projects[0]!))
    expect(plain.client('es', 'welcomeClient', { name: 'Ana' })).toBe('¡Hola Ana! Su equipo está listo. Escriba aquí cuando quiera: le respondemos en este chat.')
    expect(plain.client('es-MX', 'ratingPrompt')).toMatch(/^Su conversación se ha marcado como resuelta/)
    expect(plain.client('en', 'welcomeClient', { name: 'Ana' })).toBe('Hello Ana! Your team is ready. Write here any time: we answer in this chat.')
    // Staff texts have no Spanish: the project's locale.
    expect(plain.client('es', 'queueEmpty')).toBe(plain.staff('queueEmpty'))

    const own = createTexts(textSettings(createConfig(project({ templates: { welcomeClient: 'Hi {name}, Acme here.' } })).projects[0]!))
    expect(own.client('es', 'welcomeClient', { name: 'Ana' })).toBe('Hi Ana, Acme here.')
    expect(own.client('es', 'askEmail')).toMatch(/^¡Bienvenido!/)
  })
})
