import { afterEach, describe, expect, it } from 'vitest'
import { createConfig } from '../../src/config/index.js'
import type { ConfigInput } from '../../src/config/schema.js'
import { ASSISTANT_MODE_DEFAULTS } from '../../src/config/assistant-modes.js'

type ProjectInput = ConfigInput['projects'][number]
const project = (key: string, assistant?: ProjectInput['assistant']): ProjectInput => ({
  key,
  name: key,
  bots: { client: `1${key.length}:a`, cs: `2${key.length}:b`, cr: `3${key.length}:c` },
  groups: { cs: { chatId: -100 - key.length }, cr: [{ key: 'north', title: 'North', chatId: -200 - key.length }] },
  ...(assistant === undefined ? {} : { assistant }),
})
const base = (extra: Partial<ConfigInput>) => ({ database: { url: 'mysql://u:p@localhost/db' }, projects: [project('a')], ...extra })

afterEach(() => {
  delete process.env.TOPICDESK_TEST_AI_KEY
})

describe('assistant config', () => {
  it('absent: no project has an assistant', () => {
    expect(createConfig(base({})).projects[0]!.assistant).toBeUndefined()
  })

  it('deployment-wide, with a project overriding some keys and another saying false', () => {
    const config = createConfig(
      base({
        assistant: { baseUrl: 'http://localhost:11434/v1', model: 'llama3.2' },
        projects: [
          project('a'),
          project('bb', { model: 'qwen2.5', maxTokensPerDay: 500, embedding: { baseUrl: 'http://localhost:8081/v1', model: 'nomic' } }),
          project('ccc', false),
        ],
      }),
    )
    const [a, b, c] = config.projects
    expect(a!.assistant).toEqual({ ...ASSISTANT_MODE_DEFAULTS, baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', timeoutSeconds: 30, maxTokensPerDay: 200_000 })
    expect(b!.assistant).toEqual({
      ...ASSISTANT_MODE_DEFAULTS,
      baseUrl: 'http://localhost:11434/v1',
      model: 'qwen2.5',
      timeoutSeconds: 30,
      maxTokensPerDay: 500,
      embedding: { baseUrl: 'http://localhost:8081/v1', model: 'nomic' },
    })
    expect(c!.assistant).toBeUndefined()
  })

  it('an API key env var that is not set stops the start with a clear error; set, it passes', () => {
    const input = base({ assistant: { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKeyEnv: 'TOPICDESK_TEST_AI_KEY' } })
    expect(() => createConfig(input)).toThrow(/TOPICDESK_TEST_AI_KEY.*is not set/)
    process.env.TOPICDESK_TEST_AI_KEY = 'sk-x'
    expect(createConfig(input).projects[0]!.assistant?.apiKeyEnv).toBe('TOPICDESK_TEST_AI_KEY')
  })

  it('a project assistant without a model anywhere, or an unknown key, is refused', () => {
    expect(() => createConfig(base({ projects: [project('a', { baseUrl: 'http://localhost:8080/v1' })] }))).toThrow(/needs model/)
    expect(() => createConfig(base({ assistant: { baseUrl: 'http://x/v1', model: 'm', apiKey: 'sk-inline' } as never }))).toThrow()
  })
})
