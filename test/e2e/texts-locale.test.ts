import { describe, expect, it } from 'vitest'
import { buttonData, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { useHarness } from '../support/suite.js'

// The project speaks English by default; `texts.de` gives some of its texts in German, and its staff read German where it has them.
const h = useHarness({
  project: {
    staffLocale: 'de',
    autoReplies: [{ match: { keywords: ['Öffnungszeiten'] }, reply: 'Montag bis Freitag, 9 bis 18 Uhr.' }],
    texts: {
      de: {
        askEmail: 'Willkommen! Bitte senden Sie die E-Mail-Adresse Ihres Kontos.',
        welcomeClient: 'Hallo {name}! Ihr Team ist bereit.',
        topicNotice: 'Neuer Kunde {name} ({accountId}). Zugewiesen von {decidedBy}.',
        autoTalkToPerson: 'Mit einem Menschen sprechen',
        autoAnsweredHeader: '🤖 automatisch beantwortet',
      },
    },
  },
})

describe('texts per locale', () => {
  it("greets a client in their Telegram language where the project has it, else in the project's; staff read the staff locale", async () => {
    const { sim, world } = h
    const bot = world.bots.client.id
    const jonas = sim.createUser({ firstName: 'Jonas', languageCode: 'de-AT' })
    sim.sendPrivate(jonas.id, bot, { text: '/start' })
    await waitForPrivate(h, jonas.id, bot, 'Willkommen! Bitte senden Sie die E-Mail-Adresse Ihres Kontos.')
    sim.sendPrivate(jonas.id, bot, { text: 'yuri@example.com' })
    // No German for this one: the project's own locale.
    await waitForPrivate(h, jonas.id, bot, 'Thank you! Our team will be with you shortly.')

    const onboarding = await sim.waitFor(() => sim.topics(world.groups.cs.id).find((t) => t.name === 'Onboarding'))
    const card = await waitForTopicMessage(h, world.groups.cs.id, onboarding.message_thread_id, 'yuri@example.com')
    await sim.pressButton(world.people.alice.id, world.groups.cs.id, card.message_id, buttonData(card, 'CR South'))
    const welcome = await waitForPrivate(h, jonas.id, bot, 'Hallo Jonas!')
    expect(welcome.text).toBe('Hallo Jonas! Ihr Team ist bereit.')
    const crTopic = await sim.waitFor(() => sim.topics(world.groups.south.id)[0])
    await waitForTopicMessage(h, world.groups.south.id, crTopic.message_thread_id, 'Neuer Kunde Jonas (ACC-1002). Zugewiesen von Alice.')

    // An automatic answer: the configured reply as configured, its button in the client's language; staff read the mark in theirs.
    sim.sendPrivate(jonas.id, bot, { text: 'Öffnungszeiten?' })
    const answer = await waitForPrivate(h, jonas.id, bot, 'Montag bis Freitag')
    expect(answer.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Mit einem Menschen sprechen'])
    await waitForTopicMessage(h, world.groups.south.id, crTopic.message_thread_id, '🤖 automatisch beantwortet\nÖffnungszeiten?')
    await waitForTopicMessage(h, world.groups.south.id, crTopic.message_thread_id, '🤖 Montag bis Freitag, 9 bis 18 Uhr.\n[Mit einem Menschen sprechen]')

    // A client without a German language code reads English.
    sim.sendPrivate(world.people.zoe.id, bot, { text: '/start' })
    const english = await waitForPrivate(h, world.people.zoe.id, bot, 'email address')
    expect(english.text).toBe('Welcome! To connect you with your team, please send the email address of your account.')
  })
})
