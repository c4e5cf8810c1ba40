import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTexts, TEXT_KEYS } from '../../src/texts/index.js'

/** Every file of src/ but the simulator and the demo. */
function sources(dir = 'src'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return path === 'src/simulator' || path === 'src/demo' ? [] : sources(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

describe('the texts', () => {
  it('has a built-in English text for every key the code asks for, and no key nobody asks for', () => {
    const code = sources()
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n')
    // `.staff('key'`, `.client(languageCode, 'key'`, `staffMarked('key'`, `pressText(ctx, 'key'` and keys in a ternary (`? 'a' : 'b'`) or a table.
    const asked = new Set([...code.matchAll(/(?:staff|staffMarked)\(\s*'(\w+)'/g), ...code.matchAll(/(?:client|pressText)\([^,()]+(?:\([^()]*\))?,\s*'(\w+)'/g)].map((m) => m[1]!))
    for (const key of asked) expect(TEXT_KEYS.has(key), `"${key}" is asked for but has no built-in text`).toBe(true)
    // Keys named indirectly: the permission refusals (refusal_<action>), the ternaries and tables.
    const mentioned = (key: string) => code.includes(`'${key}'`) || (key.startsWith('refusal_') && code.includes(`${key.slice('refusal_'.length)}:`))
    expect([...TEXT_KEYS].filter((key) => !mentioned(key) && !asked.has(key))).toEqual([])
  })

  it('renders a key in the client language the project provides, else in its own locale, and staff texts in the staff locale', () => {
    const texts = createTexts({
      locale: 'en',
      staffLocale: 'de',
      overrides: { de: { welcomeClient: 'Hallo {name}!', queueEmpty: 'Niemand wartet.' }, es: { welcomeClient: '¡Hola {name}!' } },
    })
    expect(texts.client('es-MX', 'welcomeClient', { name: 'Ana' })).toBe('¡Hola Ana!')
    expect(texts.client('pt-br', 'welcomeClient', { name: 'Ana' })).toBe('Hello Ana! Your team is ready. Write here any time: we answer in this chat.')
    expect(texts.client(undefined, 'askEmail')).toBe('Welcome! To connect you with your team, please send the email address of your account.')
    expect(texts.staff('queueEmpty')).toBe('Niemand wartet.')
    expect(texts.staff('queueTitle')).toBe('Waiting for an owner (oldest first):')
    // Ids read as they are, plurals select.
    expect(texts.staff('profileTelegramId', { telegramId: 1234567890123 })).toBe('Telegram id: 1234567890123')
    expect(texts.staff('topicReopened', { days: 1 })).toBe('↩ Reopened after 1 day: new message from the client')
    expect(texts.staff('topicReopened', { days: 0 })).toBe('↩ Reopened: new message from the client')
  })
})
