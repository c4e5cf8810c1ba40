/**
 * Run as its own process by test/db/pool-memory.test.ts: opens the service's two pools at full
 * size (20 + 10 connections, as src/app.ts does) and 30 polling locks (one connection per polled
 * bot, as 10 projects hold), and prints, as JSON, how much live heap each kind holds (collected
 * before each sample, so garbage does not count).
 */
import { createDatabase } from '../../src/db/client.js'
import { NamedLock } from '../../src/db/named-lock.js'

const url = process.argv[2] ?? ''
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')
const live = () => {
  gc()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}

/** Holds `size` connections of the pool at once, so the pool opens every one of them. */
async function openAll(size: number, readCommitted: boolean) {
  const handle = createDatabase(url, { poolSize: size, readCommitted })
  const connections = await Promise.all(Array.from({ length: size }, () => handle.pool.getConnection()))
  await Promise.all(connections.map((c) => c.query('SELECT 1')))
  for (const c of connections) c.release()
  return handle
}

async function acquireAll(count: number, prefix: string) {
  const locks = Array.from({ length: count }, (_, i) => new NamedLock(url, `${prefix}:${i}`))
  const got = await Promise.all(locks.map((lock) => lock.tryAcquire()))
  if (got.includes(false)) throw new Error('a lock was not acquired')
  return locks
}

// One of each first, so code loading and first-use buffers are not counted.
await (await openAll(1, false)).close()
await Promise.all((await acquireAll(1, 'warm-up')).map((lock) => lock.release()))
const base = live()
const pools = [await openAll(20, false), await openAll(10, true)]
const afterPools = live()
const locks = await acquireAll(30, 'poll')
const afterLocks = live()
process.stdout.write(`${JSON.stringify({ pools: afterPools - base, locks: afterLocks - afterPools })}\n`)
await Promise.all([...pools.map((p) => p.close()), ...locks.map((lock) => lock.release())])
