import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { assistantJobs, customers, relayHolds, translations } from '../../src/db/schema/index.js'
import { askInGroup, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { dumpDatabase } from '../support/dump.js'
import { outboxSettled, pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

// Translation with the fake provider: staff read English; Zoe writes Spanish.
const { h, zoe } = useOnboardedZoe({
  openai: { assistant: { timeoutSeconds: 3, mode: 'off' } },
  project: { translation: { staffLanguage: 'en', waitSeconds: 5 }, resolve: { askRating: true } },
})

const cs = () => h.world.groups.cs.id
const alice = () => h.world.people.alice.id
const zoeId = () => h.world.people.zoe.id
const clientBot = () => h.world.bots.client.id
const zoeRow = async () => (await h.database.db.select().from(customers).where(eq(customers.telegramUserId, zoeId())))[0]!
type Prompt = Array<{ role: string; content: string }>
/** The chat prompts the provider was sent. */
const prompts = () => h.openai!.chatRequests().map((r) => (r.body as { messages: Prompt }).messages)
/** The prompt that asked to translate this text. */
const promptFor = (text: string) => prompts().find((messages) => messages.at(-1)?.content === text)
/** How many times the provider was asked to translate this text. */
const asked = (text: string) => prompts().filter((messages) => messages.at(-1)?.content === text).length
const fromClient = (text: string) => h.sim.sendPrivate(zoeId(), clientBot(), { text })
const clientGot = (text: string) => h.sim.privateMessages(zoeId(), clientBot()).filter((m) => m.from.is_bot && m.text?.includes(text))
/** Both of Zoe's topics show this text (edited in, when `edited`). */
async function inBothTopics(text: string) {
  await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.text === text)
  await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.text === text)
}

describe('client → staff', () => {
  it('relays a Spanish message at once, then adds the English translation under the original in every topic copy', async () => {
    h.openai!.answer('¿Dónde está mi pedido?', 'Where is my order?')
    fromClient('¿Dónde está mi pedido?')
    await inBothTopics('¿Dónde está mi pedido?\n\n🌐 Where is my order?')
    expect((await zoeRow()).detectedLanguage).toBe('es')
    // What the provider was sent: the instructions with the two language codes, and the text.
    expect(promptFor('¿Dónde está mi pedido?')).toEqual([
      { role: 'system', content: expect.stringMatching(/"es" to the language with code "en"/) },
      { role: 'user', content: '¿Dónde está mi pedido?' },
    ])
  })

  it('translates an edit again', async () => {
    h.openai!.answer(/^Quiero cambiar la dirección$/, 'I want to change the address')
    h.openai!.answer(/^Quiero cambiar la dirección de envío$/, 'I want to change the shipping address')
    const sent = fromClient('Quiero cambiar la dirección')
    await inBothTopics('Quiero cambiar la dirección\n\n🌐 I want to change the address')
    h.sim.editMessage(zoeId(), zoeId(), sent.message_id, { text: 'Quiero cambiar la dirección de envío' })
    await inBothTopics('Quiero cambiar la dirección de envío\n\n🌐 I want to change the shipping address')
  })

  it('asks the provider once for two identical texts (the cache)', async () => {
    h.openai!.answer('Necesito la factura de marzo', 'I need the March invoice')
    fromClient('Necesito la factura de marzo')
    await pollUntil(async () => (await h.database.db.select().from(translations)).some((t) => t.translation === 'I need the March invoice'), { message: 'cached' })
    fromClient('Necesito la factura de marzo')
    await pollUntil(
      () => Promise.resolve(h.sim.chatMessages(cs(), { threadId: zoe.cs }).filter((m) => m.text === 'Necesito la factura de marzo\n\n🌐 I need the March invoice').length === 2),
      {
        message: 'both translated',
        explain: () =>
          Promise.resolve(
            h.sim
              .chatMessages(cs(), { threadId: zoe.cs })
              .slice(-4)
              .map((m) => m.text),
          ),
      },
    )
    expect(asked('Necesito la factura de marzo')).toBe(1)
  })
})

describe('staff → client', () => {
  it("sends a staff reply in the client's language, keeps the original in the topics, and shows staff what was sent", async () => {
    h.openai!.answer('Your order ships tomorrow', 'Su pedido sale mañana')
    const typed = h.sim.sendGroup(alice(), cs(), { text: 'Your order ships tomorrow' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Alice · CS\nSu pedido sale mañana')
    expect(clientGot('Your order ships tomorrow')).toEqual([])
    // The CR topic's mirror keeps the original with what was sent; the CS topic is answered under the typed message.
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Alice · CS → client\nYour order ships tomorrow\n\n🌐 sent: Su pedido sale mañana')
    const note = await waitForTopicMessage(h, cs(), zoe.cs, '🌐 sent: Su pedido sale mañana')
    expect(note.reply_to_message_id).toBe(typed.message_id)
    expect(promptFor('Your order ships tomorrow')![0]!.content).toMatch(/"en" to the language with code "es"/)
  })

  it('translates an edit of a staff reply again', async () => {
    h.openai!.answer(/^It ships on Monday$/, 'Sale el lunes')
    h.openai!.answer(/^It ships on Tuesday$/, 'Sale el martes')
    const typed = h.sim.sendGroup(alice(), cs(), { text: 'It ships on Monday' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Alice · CS\nSale el lunes')
    h.sim.editMessage(alice(), cs(), typed.message_id, { text: 'It ships on Tuesday' })
    await h.sim.waitFor(() => clientGot('Alice · CS\nSale el martes').find((m) => m.edited), { message: 'client copy edited' })
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.text === 'Alice · CS → client\nIt ships on Tuesday\n\n🌐 sent: Sale el martes' && m.edited)
  })
})

describe('staff edits during a translation', () => {
  /** How many staff → client translations are under way. */
  const translating = async () =>
    (await h.database.db.select().from(assistantJobs)).filter((job) => job.kind === 'translate' && job.state === 'running' && job.payload.includes('"to_client"')).length

  it('an edit of a reply still held for its translation: the client gets the edited text, translated', async () => {
    h.openai!.answer(/^It leaves on Wednesday$/, 'Sale el miércoles')
    h.openai!.answer(/^It leaves on Thursday$/, 'Sale el jueves')
    h.openai!.delay(1500)
    try {
      const typed = h.sim.sendGroup(alice(), cs(), { text: 'It leaves on Wednesday' }, { threadId: zoe.cs })
      await pollUntil(async () => (await translating()) === 1, { message: "the reply's translation running" })
      h.sim.editMessage(alice(), cs(), typed.message_id, { text: 'It leaves on Thursday' })
      await h.sim.waitFor(() => clientGot('Alice · CS\nSale el jueves')[0], { message: 'the client got the edited text, translated', timeoutMs: 10_000 })
      expect(clientGot('Sale el miércoles')).toEqual([])
    } finally {
      h.openai!.delay(0)
    }
  })

  it('two quick edits of a staff reply: the client ends with the second one, translated', async () => {
    h.openai!.answer(/^It arrives on Friday$/, 'Llega el viernes')
    h.openai!.answer(/^It arrives on Saturday$/, 'Llega el sábado')
    h.openai!.answer(/^It arrives on Sunday$/, 'Llega el domingo')
    const typed = h.sim.sendGroup(alice(), cs(), { text: 'It arrives on Friday' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Alice · CS\nLlega el viernes')
    h.openai!.delay(1500)
    try {
      h.sim.editMessage(alice(), cs(), typed.message_id, { text: 'It arrives on Saturday' })
      // The second edit comes while the first is held, its (slowed) translation under way.
      await pollUntil(async () => (await translating()) === 1, { message: "the first edit's translation running" })
      h.sim.editMessage(alice(), cs(), typed.message_id, { text: 'It arrives on Sunday' })
      await h.sim.waitFor(() => clientGot('Alice · CS\nLlega el domingo').find((m) => m.edited), { message: 'client copy edited to the second edit', timeoutMs: 10_000 })
    } finally {
      h.openai!.delay(0)
    }
  })
})

describe('texts with nothing to translate', () => {
  const translateJobs = async () => (await h.database.db.select().from(assistantJobs)).filter((job) => job.kind === 'translate').length

  it('a client\'s "👍" is relayed with no translation job and no 🌐 line', async () => {
    const before = await translateJobs()
    fromClient('👍')
    await inBothTopics('👍')
    expect(await translateJobs()).toBe(before)
    expect(asked('👍')).toBe(0)
  })

  it('a staff "👍" to a Spanish client goes out at once, never held for a translation', async () => {
    const holds = async () => (await h.database.db.select().from(relayHolds)).length
    const [jobsBefore, holdsBefore] = [await translateJobs(), await holds()]
    h.sim.sendGroup(alice(), cs(), { text: '👍' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Alice · CS\n👍')
    expect(await translateJobs()).toBe(jobsBefore)
    expect(await holds()).toBe(holdsBefore)
  })

  it('adds no 🌐 line when the translation is the original', async () => {
    h.openai!.answer(/^Vale Netflix$/, 'vale  netflix')
    fromClient('Vale Netflix')
    await pollUntil(async () => (await h.database.db.select().from(translations)).some((t) => t.translation === 'vale  netflix'), { message: 'translated' })
    const toStaff = async () => (await h.database.db.select().from(assistantJobs)).filter((job) => job.kind === 'translate' && job.payload.includes('"to_staff"'))
    await pollUntil(async () => (await toStaff()).every((job) => job.state === 'done' || job.state === 'failed'), { message: 'translation jobs done' })
    await outboxSettled(h.database.db)
    expect(
      h.sim
        .chatMessages(cs(), { threadId: zoe.cs })
        .filter((m) => m.text?.startsWith('Vale Netflix'))
        .map((m) => m.text),
    ).toEqual(['Vale Netflix'])
  })
})

describe('a failing provider', () => {
  it('leaves the original marked untranslated, both ways, and relays as usual', async () => {
    h.openai!.fail(500, 3) // the first try and the client's two retries
    fromClient('La caja llegó abierta y vacía')
    await waitForTopicMessage(h, cs(), zoe.cs, (m) => m.text === 'La caja llegó abierta y vacía')
    await inBothTopics('La caja llegó abierta y vacía\n\n🌐 untranslated: the translation failed.')

    h.openai!.fail(500, 3)
    h.sim.sendGroup(alice(), cs(), { text: 'We will send a new box' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Alice · CS\nWe will send a new box')
    await waitForTopicMessage(h, cs(), zoe.cs, '🌐 sent untranslated: the translation failed or took too long.')
  })
})

describe('the bot’s own texts', () => {
  it('speak the language detected in the client’s messages (the rating prompt in Spanish)', async () => {
    expect((await zoeRow()).detectedLanguage).toBe('es')
    h.sim.sendGroup(alice(), cs(), { text: '/resolve' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Su conversación se ha marcado como resuelta')
  })
})

describe('/tr', () => {
  it('turns translation off for the customer (both ways, nothing asked of the provider) and on again', async () => {
    expect((await askInGroup(h, alice(), cs(), '/tr off', zoe.cs)).text).toBe('🌐 Translation is off for Zoe Quinn: messages go both ways as written. /tr on turns it back on.')
    expect((await zoeRow()).translationOff).toBe(true)
    expect((await askInGroup(h, alice(), cs(), '/tr off', zoe.cs)).text).toBe('Translation is already off for Zoe Quinn.')
    expect((await askInGroup(h, alice(), cs(), '/tr', zoe.cs)).text).toBe('Usage: /tr off (no translation for this customer) or /tr on.')
    const jobsBefore = (await h.database.db.select().from(assistantJobs)).length
    fromClient('¿Hay descuentos este mes?')
    h.sim.sendGroup(alice(), cs(), { text: 'Not this month, sorry' }, { threadId: zoe.cs })
    await waitForPrivate(h, zoeId(), clientBot(), 'Alice · CS\nNot this month, sorry')
    await waitForTopicMessage(h, zoe.crChat, zoe.cr, (m) => m.text === '¿Hay descuentos este mes?')
    expect((await h.database.db.select().from(assistantJobs)).length).toBe(jobsBefore)
    expect(asked('¿Hay descuentos este mes?') + asked('Not this month, sorry')).toBe(0)
    expect((await askInGroup(h, alice(), cs(), '/tr on', zoe.cs)).text).toBe('🌐 Translation is on for Zoe Quinn.')
    expect((await zoeRow()).translationOff).toBe(false)
  })
})

describe('customer export and forget', () => {
  it('list and delete the cached translations', async () => {
    const { exportCustomerData, forgetCustomer } = await import('../../src/domain/personal-data.js')
    const customerId = (await zoeRow()).id
    const exported = await exportCustomerData(h.app.db, h.projectId, customerId, 'test', new Date())
    expect(exported!.translations.map((t) => t.translation)).toContain('Where is my order?')
    const report = await forgetCustomer(h.app.db, h.projectId, customerId, 'test')
    expect(report!.translations).toBeGreaterThan(0)
    expect(
      await h.database.db
        .select()
        .from(translations)
        .where(and(eq(translations.projectId, h.projectId), eq(translations.customerId, customerId))),
    ).toEqual([])
    expect((await zoeRow()).detectedLanguage).toBeNull()
    // A full dump keeps nothing of what she wrote, what staff wrote her, or their translations.
    const said = ['¿Dónde está mi pedido?', 'Where is my order?', 'Your order ships tomorrow', 'Su pedido sale mañana', 'I need the March invoice', 'Sale el martes']
    await outboxSettled(h.database.db)
    const cells = await dumpDatabase(h.database.db)
    expect(cells.filter((cell) => said.some((text) => cell.text.includes(text)))).toEqual([])
  })
})
