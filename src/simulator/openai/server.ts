import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { answerPrompt, countTokens, type PromptMessage, type ScriptedAnswer } from './answers.js'
import { embedText } from './embeddings.js'
import type { Wire } from '../world.js'
import { checkKey, checkModel, errorBody, fingerprint, lastChunkExtras, modelList, type FlavourOptions, type Refusal } from './flavours.js'

export interface FakeOpenAIOptions extends Partial<FlavourOptions> {
  /** 0 (default): any free port. */
  port?: number
  host?: string
}

/** One request as the fake received it (tests read the prompt here). */
export interface RecordedRequest {
  method: string
  path: string
  /** The parsed JSON body (undefined for a GET). */
  body: Wire | undefined
  authorization?: string
  at: number
}

export interface FakeOpenAI {
  /** The base URL a client is configured with, ending in `/v1`. */
  url: string
  flavour: FlavourOptions['flavour']
  model: string
  embeddingModel?: string
  /** Every request, in order: the service's start-up doctor also asks `GET /v1/models`, so prefer the two below. */
  requests: RecordedRequest[]
  /** The chat completion requests, in order. */
  chatRequests(): RecordedRequest[]
  /** The embedding requests, in order. */
  embeddingRequests(): RecordedRequest[]
  /** A scripted answer, tested against the last user message before the passage rule. */
  answer(match: string | RegExp, text: string): void
  /** Every following call (chat or embeddings) waits this long before it is answered (0: no wait). */
  delay(ms: number): void
  /** The next `count` calls (chat or embeddings) are answered with `status` (the flavour's error body). */
  fail(status: number, count?: number): void
  /** The next `count` calls are answered 429 with `retry-after: retryAfterSeconds`. */
  rateLimit(count: number, retryAfterSeconds: number): void
  /** Forgets the knobs, scripts and recorded requests. */
  reset(): void
  close(): Promise<void>
}

/**
 * A fake OpenAI-compatible server (`/v1/chat/completions` plain and streaming, `/v1/embeddings`,
 * `/v1/models`) that answers deterministically (answers.ts), mimics a flavour's documented
 * differences (flavours.ts), records every request and can be made slow, failing or rate-limited.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const flavour = options.flavour ?? 'openai'
  const settings: FlavourOptions = {
    flavour,
    model: options.model ?? defaultModel(flavour),
    embeddingModel: options.embeddingModel ?? (flavour === 'llamacpp' || flavour === 'vllm' ? undefined : 'fake-embed'),
    embeddingServer: options.embeddingServer,
    apiKey: options.apiKey,
  }
  const requests: RecordedRequest[] = []
  let scripted: ScriptedAnswer[] = []
  let delayMs = 0
  let failures: Array<{ status: number; retryAfter?: number }> = []
  const sockets = new Set<import('node:net').Socket>()

  const server = createServer((req, res) => void handle(req, res))
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const path = (req.url ?? '/').split('?')[0]!
    let body: Wire | undefined
    try {
      body = raw ? (JSON.parse(raw) as Wire) : undefined
    } catch {
      return send(res, { status: 400, body: errorBody(flavour, 400, 'the body is not JSON') })
    }
    requests.push({ method: req.method ?? 'GET', path, body, authorization: req.headers.authorization, at: Date.now() })
    // The knobs act on the calls (POST); `GET /v1/models` (the doctor's check at start-up) always answers.
    const call = req.method === 'POST'
    if (call && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
    if (res.destroyed) return
    const failure = call ? failures.shift() : undefined
    if (failure) {
      const headers = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : undefined
      const message = failure.status === 429 ? 'Rate limit reached, please try again later.' : 'The server had an error while processing your request.'
      return send(res, { status: failure.status, body: errorBody(flavour, failure.status, message) }, headers)
    }
    const refused = checkKey(settings, req.headers.authorization)
    if (refused) return send(res, refused)
    if (req.method === 'GET' && path === '/v1/models') return send(res, { status: 200, body: modelList(settings) })
    if (req.method === 'POST' && path === '/v1/chat/completions') return chat(res, body)
    if (req.method === 'POST' && path === '/v1/embeddings') return embeddings(res, body)
    return send(res, { status: 404, body: errorBody(flavour, 404, `no route ${req.method} ${path}`) })
  }

  function chat(res: ServerResponse, body: Wire | undefined): void {
    const wrong = checkModel(settings, 'chat', body?.model)
    if (wrong) return send(res, wrong)
    const messages: PromptMessage[] = Array.isArray(body?.messages) ? (body.messages as Wire[]).map((m) => ({ role: String(m.role), content: textOf(m.content) })) : []
    let text = answerPrompt(messages, scripted)
    const maxTokens = body?.max_tokens ?? body?.max_completion_tokens
    let finish = 'stop'
    if (typeof maxTokens === 'number' && countTokens(text) > maxTokens) {
      text = text.slice(0, maxTokens * 4)
      finish = 'length'
    }
    const promptTokens = countTokens(messages.map((m) => m.content).join('\n'))
    const usage = { prompt_tokens: promptTokens, completion_tokens: countTokens(text), total_tokens: promptTokens + countTokens(text) }
    const id = `chatcmpl-fake${requests.length}`
    const created = Math.floor(Date.now() / 1000)
    const model = typeof body?.model === 'string' ? body.model : settings.model
    const base = { id, created, model, ...(fingerprint(flavour) ? { system_fingerprint: fingerprint(flavour) } : {}) }
    if (body?.stream !== true) {
      return send(res, {
        status: 200,
        body: { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish, logprobs: null }], usage },
      })
    }
    const withUsage = body?.stream_options?.include_usage === true
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...(withUsage ? { usage: null } : {}), ...extra })}\n\n`)
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])
    for (const piece of text.match(/\S+\s*/g) ?? []) chunk([{ index: 0, delta: { content: piece }, finish_reason: null }])
    chunk([{ index: 0, delta: {}, finish_reason: finish }], lastChunkExtras(flavour, usage.completion_tokens))
    // With include_usage, one more chunk with no choices carries the usage (OpenAI's streaming reference).
    if (withUsage) res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`)
    res.end('data: [DONE]\n\n')
  }

  function embeddings(res: ServerResponse, body: Wire | undefined): void {
    const wrong = checkModel(settings, 'embeddings', body?.model)
    if (wrong) return send(res, wrong)
    const inputs: string[] = Array.isArray(body?.input) ? (body.input as unknown[]).map(String) : [String(body?.input ?? '')]
    const tokens = inputs.reduce((sum, input) => sum + countTokens(input), 0)
    send(res, {
      status: 200,
      body: {
        object: 'list',
        model: body?.model,
        data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: embedText(input) })),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
    })
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    flavour,
    model: settings.model,
    embeddingModel: settings.embeddingModel,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    embeddingRequests: () => requests.filter((r) => r.path === '/v1/embeddings'),
    answer: (match, text) => void scripted.push({ match, text }),
    delay: (ms) => void (delayMs = ms),
    fail: (status, count = 1) => void failures.push(...Array.from({ length: count }, () => ({ status }))),
    rateLimit: (count, retryAfter) => void failures.push(...Array.from({ length: count }, () => ({ status: 429, retryAfter }))),
    reset() {
      requests.length = 0
      scripted = []
      delayMs = 0
      failures = []
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

function defaultModel(flavour: FlavourOptions['flavour']): string {
  return { openai: 'gpt-4o-mini', ollama: 'llama3.2', llamacpp: 'local-model.gguf', vllm: 'Qwen/Qwen2.5-7B-Instruct' }[flavour]
}

/** A message's text: a string, or OpenAI's array of content parts. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return (content as Wire[]).map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
  return ''
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on('data', (part: Buffer) => parts.push(part))
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, answer: Refusal, headers: Record<string, string> = {}): void {
  if (res.destroyed) return
  res.writeHead(answer.status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(answer.body))
}
