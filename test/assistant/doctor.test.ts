import { afterAll, beforeAll, expect, it } from 'vitest'
import { createConfig } from '../../src/config/index.js'
import type { ConfigInput } from '../../src/config/schema.js'
import { checkAssistant } from '../../src/doctor/assistant-checks.js'
import { startFakeOpenAI, type FakeOpenAI } from '../../src/simulator/openai/index.js'

let ollama: FakeOpenAI
let vllm: FakeOpenAI
beforeAll(async () => {
  ollama = await startFakeOpenAI({ flavour: 'ollama' })
  vllm = await startFakeOpenAI({ flavour: 'vllm', apiKey: 'secret' })
})
afterAll(async () => {
  await Promise.all([ollama.close(), vllm.close()])
})

type ProjectInput = ConfigInput['projects'][number]
const project = (key: string, n: number, assistant: ProjectInput['assistant']): ProjectInput => ({
  key,
  name: key,
  bots: { client: `1${n}:a`, cs: `2${n}:b`, cr: `3${n}:c` },
  groups: { cs: { chatId: -100 - n }, cr: [{ key: 'north', title: 'North', chatId: -200 - n }] },
  assistant,
})

it('npm run doctor checks each assistant endpoint: it answers, takes the key, serves the model', async () => {
  process.env.TOPICDESK_TEST_VLLM_KEY = 'wrong'
  const config = createConfig({
    database: { url: 'mysql://u:p@localhost/db' },
    assistant: { baseUrl: ollama.url, model: 'llama3.2', embedding: { model: 'fake-embed' } },
    projects: [
      project('a', 1, undefined),
      project('b', 2, { model: 'llama3.1' }),
      project('c', 3, { baseUrl: vllm.url, model: vllm.model, apiKeyEnv: 'TOPICDESK_TEST_VLLM_KEY', embedding: { baseUrl: 'http://127.0.0.1:1/v1', model: 'e' } }),
    ],
  })
  const rows = await checkAssistant(config)
  const bySubject = Object.fromEntries(rows.map((row) => [row.subject, row]))
  expect(bySubject[`${ollama.url} llama3.2`]).toMatchObject({ ok: true })
  expect(bySubject[`${ollama.url} fake-embed`]).toMatchObject({ ok: true })
  expect(bySubject[`${ollama.url} llama3.1`]).toMatchObject({ ok: false, detail: 'serves llama3.2:latest, fake-embed:latest, not llama3.1' })
  expect(bySubject[`${vllm.url} ${vllm.model}`]).toMatchObject({ ok: false, detail: 'refuses the key (401)' })
  expect(bySubject['http://127.0.0.1:1/v1 e']).toMatchObject({ ok: false, detail: 'does not answer' })
  expect(rows).toHaveLength(5)
  delete process.env.TOPICDESK_TEST_VLLM_KEY
})
