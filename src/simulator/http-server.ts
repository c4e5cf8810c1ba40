import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { ApiError } from './api-error.js'
import type { ControlHandler } from './control.js'
import type { Faults } from './faults.js'
import { canonicalMethod, HANDLERS, isFloodCounted, messagesOfCall, WithDescription } from './methods/index.js'
import { parseMultipart } from './multipart.js'
import { Params, type UploadedPart } from './params.js'
import type { RateLimiter } from './rate-limiter.js'
import type { LatencyOptions } from './types.js'
import type { BotState, World } from './world.js'

export interface ServerDeps {
  world: World
  faults: Faults
  limiter: () => RateLimiter | undefined
  latency: () => LatencyOptions | false
  log: (line: string) => void
  /** The `/_sim/…` routes for acting as people over HTTP, when mounted (manual runs). */
  control: () => ControlHandler | undefined
}

type Answer = { status: number; body: Record<string, unknown> }

const failure = (code: number, description: string, parameters?: object): Answer => ({
  status: code,
  body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) },
})

/** The Bot API over HTTP: /bot<token>/<method> and /file/bot<token>/<path>. */
export function createHttpServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      deps.log(`simulator bug: ${(e as Error).stack ?? String(e)}`)
      if (!res.headersSent) send(res, failure(500, 'Internal Server Error'))
    })
  })
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator')
  const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname)
  if (file) return download(deps, res, file[1] ?? '', decodeURIComponent(file[2] ?? ''))
  const control = url.pathname.startsWith('/_sim/') ? deps.control() : undefined
  if (control) return control(req, res, url)
  const route = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname)
  if (!route) return send(res, failure(404, 'Not Found'))
  const bot = deps.world.botsByToken.get(route[1] ?? '')
  if (!bot) return send(res, failure(401, 'Unauthorized'))
  const method = canonicalMethod(route[2] ?? '')
  const handler = method ? HANDLERS[method] : undefined
  if (!method || !handler) return send(res, failure(404, 'Not Found'))
  let params: Params
  try {
    params = await readParams(req, url)
  } catch (e) {
    return send(res, failure(400, `Bad Request: ${(e as Error).message}`))
  }
  // A long poll is logged as it starts too: one that never ends would leave no line otherwise.
  if (method === 'getUpdates') deps.log(`getUpdates bot=${bot.id} <- offset=${String(params.int('offset'))} timeout=${String(params.int('timeout'))}`)
  const answer = await call(deps, bot, method, params, req, res)
  if (answer === 'dropped') return
  deps.log(`${method} bot=${bot.id} -> ${answer.body.ok ? `ok${describeResult(answer.body.result)}` : `${answer.status} ${String(answer.body.description)}`}`)
  send(res, answer)
}

/** What a log line says of a result: the update ids of a getUpdates batch, the chat and id of a sent message. */
function describeResult(result: unknown): string {
  if (Array.isArray(result)) return ` [${result.map((u: { update_id?: number }) => u.update_id ?? '?').join(',')}]`
  const message = result as { message_id?: number; chat?: { id?: number } } | undefined
  return message?.message_id !== undefined ? ` chat=${message.chat?.id} message=${message.message_id}` : ''
}

async function call(deps: ServerDeps, bot: BotState, method: string, params: Params, req: IncomingMessage, res: ServerResponse): Promise<Answer | 'dropped'> {
  const { world, faults } = deps
  world.stats.calls[method] = (world.stats.calls[method] ?? 0) + 1
  const chatId = numeric(params.raw('chat_id'))
  const forced = faults.takeForced(bot.token, method, chatId)
  if (forced && !('drop' in forced)) return failure(forced.error_code, forced.description, forced.parameters)
  const decision = forced ? (forced.drop === 'before' ? 'dropBefore' : 'dropAfter') : faults.decide(method)
  if (decision !== 'none') world.stats.faults++
  if (decision === 'error500') return failure(500, 'Internal Server Error')
  if (decision === 'error502') return failure(502, 'Bad Gateway')
  if (decision === 'dropBefore') return drop(deps, req, method, bot, 'before')
  const limiter = deps.limiter()
  if (limiter && isFloodCounted(method)) {
    const paid = params.has('allow_paid_broadcast') && params.bool('allow_paid_broadcast')
    const wait = limiter.check(bot.id, chatId, Date.now(), messagesOfCall(method, jsonParam(params, 'media'), jsonParam(params, 'message_ids')), paid)
    if (wait > 0) {
      world.stats.rateLimited++
      return failure(429, `Too Many Requests: retry after ${wait}`, { retry_after: wait })
    }
  }
  const abort = new AbortController()
  res.on('close', () => abort.abort())
  const delayMs = latencyOf(deps.latency(), method, params)
  // Like Telegram, a call whose client gave up waiting may still take effect.
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
  let answer: Answer
  try {
    const result = await HANDLERS[method]?.({ world, bot, params, signal: abort.signal })
    answer =
      result instanceof WithDescription ? { status: 200, body: { ok: true, result: result.result, description: result.description } } : { status: 200, body: { ok: true, result } }
  } catch (e) {
    if (!(e instanceof ApiError)) throw e
    answer = failure(e.errorCode, e.description, e.parameters)
  }
  const answerAfterMs = (deps.latency() || undefined)?.afterEffect?.[method] ?? 0
  if (answerAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, answerAfterMs))
  if (decision === 'dropAfter') return drop(deps, req, method, bot, 'after')
  return answer
}

function drop(deps: ServerDeps, req: IncomingMessage, method: string, bot: BotState, when: string): 'dropped' {
  deps.log(`${method} bot=${bot.id} -> connection dropped (${when} taking effect)`)
  req.socket.destroy()
  return 'dropped'
}

function latencyOf(latency: LatencyOptions | false, method: string, params: Params): number {
  if (!latency) return 0
  const uploaded = params.uploadedBytes()
  const upload = latency.uploadBytesPerSecond && uploaded ? (uploaded / latency.uploadBytesPerSecond) * 1000 : 0
  return (latency.methods?.[method] ?? 0) + upload
}

/** A JSON parameter, or undefined when it does not parse (the handler reports that). */
function jsonParam(params: Params, name: string): unknown {
  try {
    return params.json(name)
  } catch {
    return undefined
  }
}

function numeric(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN
  return Number.isSafeInteger(n) ? n : undefined
}

async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const values: Record<string, unknown> = Object.fromEntries(url.searchParams)
  const files = new Map<string, UploadedPart>()
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks)
  const type = (req.headers['content-type'] ?? '').toLowerCase()
  if (body.length === 0) return new Params(values, files)
  if (type.startsWith('application/json')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(body.toString('utf8'))
    } catch {
      throw new Error("can't parse JSON encoded request")
    }
    if (parsed && typeof parsed === 'object') Object.assign(values, parsed)
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    Object.assign(values, Object.fromEntries(new URLSearchParams(body.toString('utf8'))))
  } else if (type.startsWith('multipart/form-data')) {
    for (const part of parseMultipart(body, req.headers['content-type'] ?? '')) {
      if (part.fileName === undefined) values[part.name] = part.data.toString('utf8')
      else files.set(part.name, { bytes: part.data, fileName: part.fileName || undefined, mimeType: part.mimeType })
    }
  }
  return new Params(values, files)
}

function download(deps: ServerDeps, res: ServerResponse, token: string, path: string): void {
  const bot = deps.world.botsByToken.get(token)
  if (!bot) return send(res, failure(401, 'Unauthorized'))
  const record = deps.world.files.download(bot.id, path)
  if (!record) return send(res, failure(404, 'Not Found'))
  res.writeHead(200, { 'content-type': record.mimeType ?? 'application/octet-stream', 'content-length': record.bytes.length })
  res.end(record.bytes)
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed || res.writableEnded) return
  const body = JSON.stringify(answer.body)
  res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}
