import { Api, GrammyError } from 'grammy'
import type { Update } from 'grammy/types'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js'
import { useFixture } from '../support/suite.js'

export interface World {
  sim: Simulator
  client: { id: number; token: string; api: Api }
  cs: { id: number; token: string; api: Api }
  cr: { id: number; token: string; api: Api }
  alice: number
  bob: number
  group: number
}

/** A simulator with a client bot, two staff bots (admins of one forum group), a client and a staff member. */
export async function startWorld(options: SimulatorOptions = {}): Promise<World> {
  const sim = await startSimulator(options)
  const bot = (token: string, username: string) => {
    const b = sim.createBot({ token, username })
    return { id: b.id, token, api: new Api(token, { apiRoot: sim.url }) }
  }
  const client = bot('1001:client', 'client_bot')
  const cs = bot('1002:cs', 'cs_bot')
  const cr = bot('1003:cr', 'cr_bot')
  const alice = sim.createUser({ firstName: 'Alice', username: 'alice' }).id
  const bob = sim.createUser({ firstName: 'Bob' }).id
  const group = sim.createForumGroup({
    title: 'CS',
    members: [bob],
    admins: [{ id: cs.id }, { id: cr.id }, { id: bob, rights: { can_manage_topics: true } }],
  }).id
  return { sim, client, cs, cr, alice, bob, group }
}

/** Raw Bot API call, for wire details grammY hides. */
/** A Bot API answer as it comes over the wire; `Result` is what a test expects in `result`. */
export interface ApiAnswer<Result = unknown> {
  ok: boolean
  result: Result
  description?: string
  error_code?: number
  parameters?: { retry_after?: number; migrate_to_chat_id?: number }
}

export async function raw<Result = unknown>(sim: Simulator, token: string, method: string, body?: unknown): Promise<{ status: number; json: ApiAnswer<Result> }> {
  const res = await fetch(`${sim.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
  return { status: res.status, json: (await res.json()) as ApiAnswer<Result> }
}

/** The GrammyError a call fails with (fails the test if it succeeds). */
export async function failure(call: Promise<unknown>): Promise<GrammyError> {
  try {
    await call
  } catch (e) {
    if (e instanceof GrammyError) return e
    throw e
  }
  throw new Error('expected the call to fail')
}

/** Pending updates without waiting. */
export async function updates(api: Api, offset?: number, allowed?: string[]): Promise<Update[]> {
  return api.getUpdates({ offset, timeout: 0, ...(allowed ? { allowed_updates: allowed as never } : {}) })
}

/** Confirms every pending update. */
export async function drain(api: Api): Promise<void> {
  const list = await updates(api)
  const last = list.at(-1)
  if (last) await updates(api, last.update_id + 1)
}

/** A fresh world for every test of the file, closed after it; `setUp` runs once the world started. */
export function useWorld(setUp?: (w: World) => Promise<void> | void): World {
  return useFixture(
    'the simulator world',
    'test',
    () => startWorld(),
    (w) => w.sim.close(),
    setUp,
  )
}

/** A fresh world per test in which Alice already wrote to the client bot (so it may answer her). */
export function useWorldWithAlice(): World {
  return useWorld(async (w) => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    await drain(w.client.api)
  })
}
