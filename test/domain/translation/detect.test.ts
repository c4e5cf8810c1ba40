import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { detectLanguage, loadDetector } from '../../../src/domain/translation/detect.js'

/** Ten chat messages of 10–40 characters in five languages, written by hand (issue 19's fixture). */
const DETECTION_FIXTURE: ReadonlyArray<readonly [string, string]> = [
  ['es', '¿Dónde está mi pedido?'],
  ['es', 'quiero cancelar la suscripción'],
  ['de', 'Wann kommt die Lieferung?'],
  ['de', 'Das Paket ist kaputt angekommen'],
  ['fr', 'Je voudrais un remboursement'],
  ['fr', 'Le colis est arrivé cassé'],
  ['pt', 'Não consigo entrar na minha conta'],
  ['pt', 'quanto custa o frete?'],
  ['ru', 'Где мой заказ?'],
  ['ru', 'Спасибо, теперь всё работает'],
]

describe('language detection', () => {
  beforeAll(loadDetector)

  it('the fixture is 10 messages of 10–40 characters in 5 languages', () => {
    expect(DETECTION_FIXTURE).toHaveLength(10)
    expect(new Set(DETECTION_FIXTURE.map(([language]) => language)).size).toBe(5)
    for (const [, text] of DETECTION_FIXTURE) expect([...text].length, text).toSatisfy((length: number) => length >= 10 && length <= 40)
  })

  it('is right on at least 9 of the 10 fixture messages', () => {
    const right = DETECTION_FIXTURE.filter(([language, text]) => detectLanguage(text)?.language === language)
    expect(right.length).toBeGreaterThanOrEqual(9)
  })

  it("takes Telegram's language_code as a prior only where the text allows it", () => {
    // A short greeting fits several languages: the prior decides.
    expect(detectLanguage('Hello, I have a problem', { prior: 'en' })?.language).toBe('en')
    // A clear Spanish sentence stays Spanish under an English prior.
    expect(detectLanguage('¿Dónde está mi pedido? No llegó nada', { prior: 'en-US' })?.language).toBe('es')
    // Nothing to detect: the prior, marked unreliable.
    expect(detectLanguage('12345 👍', { prior: 'pt-br' })).toEqual({ language: 'pt', reliable: false })
    expect(detectLanguage('12345 👍')).toBeUndefined()
  })

  it('trusts no guess on a text that says nothing of a language (links, addresses, mentions, digits, product names)', () => {
    for (const text of ['https://example.com/x', 'zoe@example.com', 'https://shop.acme.com/orders/88123', 'iPhone 15 Pro Max', '@zoe_support 4411', 'Order 88123']) {
      const detected = detectLanguage(text, { prior: 'en' })
      expect(detected?.reliable ?? false, text).toBe(false)
    }
    // Enough words beside a link are still trusted.
    expect(detectLanguage('Wann kommt die Lieferung? https://shop.acme.com/orders/88123', { prior: 'en' })).toEqual({ language: 'de', reliable: true })
  })

  it('keeps to the languages the project expects', () => {
    expect(detectLanguage('Obrigado, já recebi o produto', { only: ['en', 'es'] })?.language).toBe('es')
  })

  it('makes no network request: loading and detecting in a process whose sockets, DNS and fetch throw', async () => {
    const script = `
      import net from 'node:net'; import dns from 'node:dns'
      const calls = []
      const refuse = (what) => function () { calls.push(what); throw new Error('network used: ' + what) }
      net.Socket.prototype.connect = refuse('socket'); dns.lookup = refuse('dns'); dns.promises.lookup = refuse('dns'); globalThis.fetch = refuse('fetch')
      const { loadDetector, detectLanguage } = await import(${JSON.stringify(fileURLToPath(new URL('../../../src/domain/translation/detect.ts', import.meta.url)))})
      await loadDetector()
      const fixture = ${JSON.stringify(DETECTION_FIXTURE)}
      const right = fixture.filter(([language, text]) => detectLanguage(text)?.language === language).length
      console.log(JSON.stringify({ calls, right }))`
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 })
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { calls: string[]; right: number }
    expect(report.calls).toEqual([])
    expect(report.right).toBeGreaterThanOrEqual(9)
  })
})
