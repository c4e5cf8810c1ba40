import type { DbOrTx } from '../../db/client.js'

/**
 * The handlings of each bot running in this process, by the app's database handle and bot id
 * (grammY gives each update a context and an `Api` of its own, so neither can be the key). The
 * runner's `stop()` ends fetching but not the handlers it started: a poller waits here before it
 * lets its lease go (another instance would otherwise take up the same updates while they still
 * run) and before the service closes its database.
 */
interface Handlings {
  count: number
  settled: Array<() => void>
}
const running = new WeakMap<DbOrTx, Map<number, Handlings>>()

function entryOf(db: DbOrTx, botId: number): Handlings {
  let bots = running.get(db)
  if (!bots) running.set(db, (bots = new Map<number, Handlings>()))
  let entry = bots.get(botId)
  if (!entry) bots.set(botId, (entry = { count: 0, settled: [] }))
  return entry
}

/** Counts a handling of the bot while `work` runs. */
export async function trackHandling<T>(db: DbOrTx, botId: number, work: () => Promise<T>): Promise<T> {
  const entry = entryOf(db, botId)
  entry.count += 1
  try {
    return await work()
  } finally {
    entry.count -= 1
    if (entry.count === 0) for (const resolve of entry.settled.splice(0)) resolve()
  }
}

/** Resolves true once no handling of the bot runs here, false when `timeoutMs` passes first. */
export function handlingsSettled(db: DbOrTx, botId: number, timeoutMs: number): Promise<boolean> {
  const entry = entryOf(db, botId)
  if (entry.count === 0) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs)
    entry.settled.push(() => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}
