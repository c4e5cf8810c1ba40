import OpenAI from 'openai'
import { apiKeyEnvOf, type AssistantSettings } from '../config/assistant.js'
import type { Database } from '../db/client.js'
import type { Clock } from '../domain/clock.js'
import { AssistantUnavailable, type AssistantObserver, type AssistantProvider, type AssistantPurpose, type ChatRequest, type UnavailableReason } from './provider.js'
import { recordTokens, tokensSpent, usageDay } from './token-ledger.js'

/** Retries of the official client on 408, 409, 429 (after its retry-after) and 5xx, within the call's deadline. */
const MAX_RETRIES = 2

export interface ProviderDeps {
  db: Database
  clock: Clock
  observer?: AssistantObserver
  /** A call failed because of the provider (timeout, 429, 5xx): the runtime raises the leads' alarm. */
  onFailure?: (reason: UnavailableReason) => void
}

interface ProjectRef {
  id: number
  key: string
}

/** A server that needs no key still gets one: the official client refuses to start without (Ollama's docs: "required but ignored"). */
const NO_KEY = 'no-key'

/**
 * One project's provider on the official `openai` client: a deadline of `timeoutSeconds` per call
 * (retries included), the day's tokens counted and capped, metrics per call, failures turned
 * into `AssistantUnavailable` (never the provider's own message, which may quote the prompt).
 */
export function createOpenAIProvider(project: ProjectRef, settings: AssistantSettings, deps: ProviderDeps): AssistantProvider {
  const keyOf = (endpoint: 'chat' | 'embedding') => {
    const name = apiKeyEnvOf(settings, endpoint)
    return (name && process.env[name]) || NO_KEY
  }
  const apiKey = keyOf('chat')
  const timeout = settings.timeoutSeconds * 1000
  const chatClient = new OpenAI({ baseURL: settings.baseUrl, apiKey, timeout, maxRetries: MAX_RETRIES })
  const embedding = settings.embedding
  const embedClient = embedding?.baseUrl ? new OpenAI({ baseURL: embedding.baseUrl, apiKey: keyOf('embedding'), timeout, maxRetries: MAX_RETRIES }) : chatClient

  /** Runs one call within the deadline and the cap, counting its tokens and its outcome. */
  async function call<T>(purpose: AssistantPurpose, run: (signal: AbortSignal) => Promise<{ value: T; tokens: number }>): Promise<T> {
    const started = performance.now()
    const day = usageDay(deps.clock.now())
    const report = (outcome: 'ok' | UnavailableReason, tokens: number) =>
      deps.observer?.assistantCall({ project: project.key, purpose, outcome, seconds: (performance.now() - started) / 1000, tokens })
    if ((await tokensSpent(deps.db, project.id, day)) >= settings.maxTokensPerDay) {
      report('cap_reached', 0)
      throw new AssistantUnavailable('cap_reached')
    }
    const deadline = AbortSignal.timeout(timeout)
    let outcome: { value: T; tokens: number }
    try {
      outcome = await run(deadline)
    } catch (error) {
      // Our own failure (a stream's callback, say) is no provider failure: no alarm, no 'failed'.
      if (!(error instanceof OpenAI.OpenAIError) && !deadline.aborted && !(error instanceof Error && error.name === 'AbortError')) throw error
      const reason = reasonOf(error, deadline)
      report(reason, 0)
      deps.onFailure?.(reason)
      throw new AssistantUnavailable(reason)
    }
    // Counted after the call: a database error here is the job's, not the provider's.
    await recordTokens(deps.db, project.id, day, outcome.tokens)
    report('ok', outcome.tokens)
    return outcome.value
  }

  const chatParams = (req: ChatRequest) => ({ model: settings.model, messages: req.messages, ...(req.maxTokens ? { max_tokens: req.maxTokens } : {}) })

  return {
    chat: (req) =>
      call(req.purpose, async (signal) => {
        const completion = await chatClient.chat.completions.create({ ...chatParams(req), stream: false }, { signal })
        const text = completion.choices[0]?.message.content ?? ''
        const tokens = completion.usage?.total_tokens ?? estimate(req, text)
        return { value: { text, tokens }, tokens }
      }),
    stream: (req, onText) =>
      call(req.purpose, async (signal) => {
        // `include_usage`: the last chunk carries the usage (OpenAI; Ollama, llama.cpp and vLLM accept it too).
        const stream = await chatClient.chat.completions.create({ ...chatParams(req), stream: true, stream_options: { include_usage: true } }, { signal })
        let text = ''
        let usage: number | undefined
        for await (const chunk of stream) {
          if (chunk.usage) usage = chunk.usage.total_tokens
          const delta = chunk.choices[0]?.delta?.content
          if (delta) {
            text += delta
            await onText(text)
          }
        }
        const tokens = usage ?? estimate(req, text)
        return { value: { text, tokens }, tokens }
      }),
    embed: async (texts) => {
      if (!embedding) return undefined
      return call('embed', async (signal) => {
        const response = await embedClient.embeddings.create({ model: embedding.model, input: texts, encoding_format: 'float' }, { signal })
        const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding)
        const tokens = response.usage?.total_tokens ?? Math.ceil(texts.join(' ').length / 4)
        return { value: vectors, tokens }
      })
    },
  }
}

/** Which failure an error of the client is; our deadline's abort is a timeout too. */
function reasonOf(error: unknown, deadline: AbortSignal): UnavailableReason {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return 'timeout'
  if (error instanceof OpenAI.APIUserAbortError || deadline.aborted) return 'timeout'
  if (error instanceof OpenAI.RateLimitError) return 'rate_limited'
  return 'failed'
}

/** A server that reports no usage: about four characters a token. */
function estimate(req: ChatRequest, text: string): number {
  const chars = req.messages.reduce((sum, m) => sum + m.content.length, 0) + text.length
  return Math.ceil(chars / 4)
}
