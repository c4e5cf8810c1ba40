/**
 * Run as its own process by test/delivery/relay-memory.test.ts: relays a document from one bot
 * to another with the service's own send path, sampling this process's memory, and prints
 * { base, peak, rise } (bytes of RSS) as JSON. A process of its own, so that the simulator's
 * copy of the file does not count.
 */
import { createDatabase } from '../../src/db/client.js'
import { TelegramGateway } from '../../src/delivery/gateway.js'
import type { FileRef } from '../../src/delivery/render.js'
import { sendContent } from '../../src/delivery/send-content.js'

interface RelayInput {
  apiRoot: string
  databaseUrl: string
  from: { id: number; token: string }
  to: { id: number; token: string }
  chatId: number
  warmUp: FileRef
  /** Two different large files: a file relayed once is cached for the bot and never downloaded again. */
  files: [FileRef, FileRef]
}

const input = JSON.parse(process.argv[2] ?? '{}') as RelayInput
const gateway = new TelegramGateway(input.apiRoot)
gateway.register(input.from.id, input.from.token)
gateway.register(input.to.id, input.to.token)
const database = createDatabase(input.databaseUrl, { poolSize: 2 })
const { db } = database
const relay = (file: FileRef) => sendContent({ db, gateway }, input.to.id, input.from.id, { chatId: input.chatId }, { kind: 'document', file })

// The same path once with a small file, so code loading and first-use buffers are not counted.
await relay(input.warmUp)
// Collected before each sample, so a sample counts what the relay holds, not garbage V8 has not
// swept yet (streamed chunks are garbage at once; a file held whole is not).
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const sample = () => {
  gc()
  const usage = process.memoryUsage()
  return { rss: usage.rss, live: usage.heapUsed + usage.arrayBuffers }
}
/** One relay of the file: how far RSS and live memory rose above where they were before it. */
async function measure(file: FileRef): Promise<{ rssRise: number; liveRise: number }> {
  await new Promise((resolve) => setTimeout(resolve, 100))
  const base = sample()
  const peak = { ...base }
  const sampler = setInterval(() => {
    const now = sample()
    peak.rss = Math.max(peak.rss, now.rss)
    peak.live = Math.max(peak.live, now.live)
  }, 20)
  await relay(file)
  clearInterval(sampler)
  return { rssRise: peak.rss - base.rss, liveRise: peak.live - base.live }
}

// Twice, keeping the lower rise: noise from a busy machine only adds, while a file held whole
// shows its full size every time.
const runs = [await measure(input.files[0]), await measure(input.files[1])]
const lower = runs.reduce((a, b) => (b.liveRise < a.liveRise ? b : a))
process.stdout.write(`${JSON.stringify(lower)}\n`)
await database.close()
