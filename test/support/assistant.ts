import type { ConfigInput } from '../../src/config/schema.js'
import type { FakeOpenAI } from '../../src/simulator/openai/index.js'

type AssistantInput = NonNullable<ConfigInput['assistant']>

/**
 * The `assistant` config block pointing at a fake provider: its URL and model, its embedding
 * model when it serves one, a short timeout; `overrides` win. Use it as the deployment's
 * `assistant` (the harness's `openai` option does) or as a project's.
 */
export function assistantConfig(fake: Pick<FakeOpenAI, 'url' | 'model' | 'embeddingModel'>, overrides: Partial<AssistantInput> = {}): AssistantInput {
  return {
    baseUrl: fake.url,
    model: fake.model,
    timeoutSeconds: 5,
    maxTokensPerDay: 1_000_000,
    ...(fake.embeddingModel ? { embedding: { model: fake.embeddingModel } } : {}),
    ...overrides,
  }
}
