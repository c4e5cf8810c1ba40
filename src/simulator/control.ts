import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Simulator } from './simulator.js'
import type { SimBot, SimMessageView } from './types.js'

/** The names a person at a terminal uses for the simulator's people, bots and groups. */
export interface SimDirectory {
  users: Record<string, number>
  bots: Record<string, SimBot>
  groups: Record<string, number>
}

/** Serves `/_sim/…` requests; the Bot API's own routes never reach it. */
export type ControlHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>

class BadRequest extends Error {}

/**
 * A small HTTP way to act as the simulator's people, for manual runs (`npm run simulator -- --sample`):
 *   GET  /_sim/world                                   names → ids
 *   POST /_sim/send  {from, chat, text, thread?, replyTo?}   a person posts ("@bot" = their private chat with it)
 *   POST /_sim/press {from, chat, button, thread?}     a person presses the newest button showing that text
 *   GET  /_sim/messages?chat=…&as=…&thread=…           what the chat (or one topic) shows
 *   GET  /_sim/topics?chat=…                           a forum group's topics
 * Names are the directory's (zoe, alice, cs, @acme_bot) or plain ids.
 */
export function createControlHandler(sim: Simulator, directory: SimDirectory): ControlHandler {
  const user = (name: unknown): number => {
    const id = directory.users[String(name)] ?? numeric(name)
    if (id === undefined) throw new BadRequest(`unknown person "${String(name)}"; known: ${Object.keys(directory.users).join(', ')}`)
    return id
  }
  const botByName = (name: string): SimBot | undefined => Object.values(directory.bots).find((b) => `@${b.username}` === name || String(b.id) === name)
  type Target = { kind: 'private'; botId: number } | { kind: 'group'; chatId: number }
  const target = (chat: unknown): Target => {
    const name = String(chat)
    const bot = name.startsWith('@') ? botByName(name) : undefined
    if (bot) return { kind: 'private', botId: bot.id }
    const chatId = directory.groups[name] ?? numeric(name)
    if (chatId === undefined) throw new BadRequest(`unknown chat "${name}"; use a group (${Object.keys(directory.groups).join(', ')}) or a bot's @username`)
    return { kind: 'group', chatId }
  }
  const shown = (from: number, to: Target, thread?: number): SimMessageView[] =>
    to.kind === 'private' ? sim.privateMessages(from, to.botId) : sim.chatMessages(to.chatId, thread === undefined ? {} : { threadId: thread })

  const routes: Record<string, (body: Record<string, unknown>, query: URLSearchParams) => unknown> = {
    'GET /_sim/world': () => ({
      users: directory.users,
      bots: Object.fromEntries(Object.entries(directory.bots).map(([key, b]) => [key, { id: b.id, username: `@${b.username}` }])),
      groups: directory.groups,
    }),
    'POST /_sim/send': (body) => {
      const from = user(body.from)
      const to = target(body.chat)
      if (typeof body.text !== 'string' || body.text === '') throw new BadRequest('"text" is required')
      const replyTo = numeric(body.replyTo)
      const sent =
        to.kind === 'private'
          ? sim.sendPrivate(from, to.botId, { text: body.text }, { replyTo })
          : sim.sendGroup(from, to.chatId, { text: body.text }, { threadId: numeric(body.thread), replyTo })
      return { message_id: sent.message_id, chat_id: sent.chat.id, ...(sent.message_thread_id ? { thread: sent.message_thread_id } : {}) }
    },
    'POST /_sim/press': async (body) => {
      const from = user(body.from)
      const to = target(body.chat)
      const label = String(body.button)
      // "CR North" presses "→ CR North ★": the label as written, or within the button's text.
      const matches = (text: string) => text === label || text.includes(label)
      for (const m of shown(from, to, numeric(body.thread)).reverse()) {
        const button = m.reply_markup?.inline_keyboard.flat().find((b) => matches(b.text) && 'callback_data' in b)
        if (button && 'callback_data' in button) {
          const answer = await sim.pressButton(from, to.kind === 'private' ? to.botId : to.chatId, m.message_id, button.callback_data ?? '', {
            botId: to.kind === 'private' ? to.botId : undefined,
          })
          return { message_id: m.message_id, answer: answer ?? null }
        }
      }
      throw new BadRequest(`no button "${label}" in that chat`)
    },
    'GET /_sim/messages': (_, query) => {
      const to = target(query.get('chat'))
      const as = to.kind === 'private' ? user(query.get('as')) : 0
      return shown(as, to, numeric(query.get('thread') ?? undefined)).map(brief)
    },
    'GET /_sim/topics': (_, query) => {
      const to = target(query.get('chat'))
      if (to.kind !== 'group') throw new BadRequest('topics exist in groups only')
      return sim.topics(to.chatId).filter((t) => !t.deleted)
    },
  }

  return async (req, res, url) => {
    const route = routes[`${req.method ?? 'GET'} ${url.pathname.replace(/\/$/, '')}`]
    if (!route) return reply(res, 404, { ok: false, description: `no such route; see ${Object.keys(routes).join(', ')}` })
    try {
      const result = await route(await readJson(req), url.searchParams)
      reply(res, 200, { ok: true, result })
    } catch (error) {
      // Mistakes of the person at the terminal (a wrong name, a message not in a chat) are a 400 with the reason.
      reply(res, 400, { ok: false, description: (error as Error).message })
    }
  }
}

/** One line of a chat, as the person would read it. */
function brief(m: SimMessageView) {
  const buttons = m.reply_markup?.inline_keyboard.flat().map((b) => b.text)
  return {
    message_id: m.message_id,
    ...(m.thread_id !== undefined ? { thread: m.thread_id } : {}),
    from: m.from.name,
    ...(m.text !== undefined ? { text: m.text } : { kind: m.kind }),
    ...(m.reply_to_message_id !== undefined ? { replyTo: m.reply_to_message_id } : {}),
    ...(buttons?.length ? { buttons } : {}),
  }
}

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : undefined
}

/** The body as JSON whatever the content type (curl -d sends form-encoded by default). */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (text === '') return {}
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>
  } catch {
    // reported below
  }
  throw new BadRequest('the body must be a JSON object')
}

function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body, null, 1)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(`${text}`)
}
