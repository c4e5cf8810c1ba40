/**
 * Run as its own process by test/db/pool-memory.test.ts: opens the service's two pools at full
 * size (20 + 10 connections, as src/app.ts does), and prints, as JSON, how much live heap they
 * hold (collected before each sample, so garbage does not count). Polled bots hold no connection
 * of their own (one lease connection per instance), so the pools are all there is.
 */
import { createDatabase } from '../../src/db/client.js'

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

// One of each first, so code loading and first-use buffers are not counted.
await (await openAll(1, false)).close()
const base = live()
const pools = [await openAll(20, false), await openAll(10, true)]
const afterPools = live()
process.stdout.write(`${JSON.stringify({ pools: afterPools - base })}\n`)
await Promise.all(pools.map((p) => p.close()))
