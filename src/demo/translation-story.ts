import type { ConfigInput } from '../config/schema.js'
import type { FakeOpenAI } from '../simulator/openai/index.js'
import type { Simulator } from '../simulator/index.js'
import type { SecondBrand } from './sample-world.js'
import { demoStep, demoWaitFor } from './stage.js'
import type { Transcript } from './transcript.js'

/** Beta's staff read and write English; each client is answered in the language they write in. */
export const translationProjectConfig = {
  translation: { staffLanguage: 'en', clientLanguages: 'auto' },
} satisfies Partial<ConfigInput['projects'][number]>

const QUESTION = '¿Dónde está mi pedido? Lo pedí el lunes.'
const QUESTION_EN = 'Where is my order? I ordered it on Monday.'
const ANSWER = 'Your order left our warehouse today.'
const ANSWER_ES = 'Su pedido salió hoy de nuestro almacén.'

interface Stage {
  sim: Simulator
  beta: SecondBrand
  transcript: Transcript
  /** The assistant's provider (the fake answers these two translations as a model would). */
  openai: FakeOpenAI
}

/**
 * A conversation in two languages (Beta, after its own chapter): Zoe writes in Spanish, her
 * message reaches the topics at once and gains its English translation under the original;
 * Bob answers in English, Zoe gets it in Spanish, and the topics show what she received.
 */
export async function playTranslationStory({ sim, beta, transcript, openai }: Stage, number: number): Promise<number> {
  const zoe = beta.people.zoe
  const clientBot = beta.bots.client.id
  const cs = beta.groups.cs.id
  const north = beta.groups.north.id
  const waitFor = demoWaitFor(sim)
  const step = demoStep(transcript)
  const topicOf = (chatId: number) => sim.topics(chatId).find((t) => t.name.startsWith('Zoe') && !t.deleted)!.message_thread_id
  const inTopic = (chatId: number, text: string) => () =>
    waitFor(() => sim.chatMessages(chatId, { threadId: topicOf(chatId) }).find((m) => m.text?.includes(text)), `"${text}" in ${chatId}`)
  openai.answer(QUESTION, QUESTION_EN)
  openai.answer(ANSWER, ANSWER_ES)

  await step(
    `${number}. Beta’s Zoe writes in Spanish: relayed at once, then the English translation appears under the original in both topics`,
    () => sim.sendPrivate(zoe.id, clientBot, { text: QUESTION }),
    inTopic(cs, `🌐 ${QUESTION_EN}`),
    inTopic(north, `🌐 ${QUESTION_EN}`),
  )
  await step(
    `${number + 1}. Bob answers in English: Zoe gets it in Spanish, and the topics show what she received`,
    () => sim.sendGroup(beta.sharedAgent.id, cs, { text: ANSWER }, { threadId: topicOf(cs) }),
    () => waitFor(() => sim.privateMessages(zoe.id, clientBot).find((m) => m.text?.includes(ANSWER_ES)), 'the Spanish answer at Zoe'),
    inTopic(north, ANSWER_ES),
    inTopic(cs, ANSWER_ES),
  )
  return number + 2
}
