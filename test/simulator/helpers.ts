import { Api, GrammyError } from 'grammy'
import type { Update } from 'grammy/types'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js'

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
export async function raw(sim: Simulator, token: string, method: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sim.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
  return { status: res.status, json: await res.json() }
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
