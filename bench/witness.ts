import type { Delivery } from '../src/simulator/index.js'
import { distribution, type Distribution } from './stats.js'
import { destinationKey, TAG_PATTERN, type SentMessage } from './traffic.js'

export interface CopySample {
  tag: string
  destination: string
  sentAt: number
  at: number
  /** The highest sequence number already in that topic when this copy arrived. */
  after?: number
}

const SAMPLES = 20

/** What the simulator saw of a set of client messages: every figure comes from its delivery list. */
export interface WitnessReport {
  messages: number
  expectedCopies: number
  deliveredCopies: number
  lost: number
  duplicated: number
  outOfOrder: number
  /** Copies in a topic that is not the sender's. */
  misrouted: number
  /** Messages with every copy delivered. */
  fullyRelayed: number
  /** Client message created → copy created, per copy (ms). */
  copyLatencyMs: Distribution
  /** Client message created → its last copy created, per fully relayed message (ms). */
  messageLatencyMs: Distribution
  /** First message sent → last copy created (ms). */
  spanMs: number
  /** A few examples, with when they were created, to line up with fault times. */
  samples: { outOfOrder: CopySample[]; duplicated: CopySample[]; lost: string[] }
  messagesPerSecond: number
  copiesPerSecond: number
}

export function witness(deliveries: Delivery[], sent: SentMessage[]): WitnessReport {
  const byTag = new Map(sent.map((m) => [m.tag, m]))
  const topics = new Map<string, { seen: Set<number>; maxSeq: number }>()
  const copiesOf = new Map<string, number[]>()
  let duplicated = 0
  let outOfOrder = 0
  let misrouted = 0
  let deliveredCopies = 0
  let lastCopyAt = 0
  const copyLatencies: number[] = []
  const samples: WitnessReport['samples'] = { outOfOrder: [], duplicated: [], lost: [] }
  for (const d of deliveries) {
    const match = TAG_PATTERN.exec(d.text ?? '')
    const message = match ? byTag.get(match[0]) : undefined
    if (!message) continue
    const destination = destinationKey(d.chatId, d.threadId)
    if (!message.destinations.includes(destination)) {
      misrouted++
      continue
    }
    let topic = topics.get(destination)
    if (!topic) topics.set(destination, (topic = { seen: new Set(), maxSeq: 0 }))
    const sample = { tag: message.tag, destination, sentAt: message.sentAt, at: d.at, after: topic.maxSeq }
    if (topic.seen.has(message.seq)) {
      if (duplicated < SAMPLES) samples.duplicated.push(sample)
      duplicated++
      continue
    }
    topic.seen.add(message.seq)
    if (message.seq < topic.maxSeq) {
      if (outOfOrder < SAMPLES) samples.outOfOrder.push(sample)
      outOfOrder++
    }
    topic.maxSeq = Math.max(topic.maxSeq, message.seq)
    deliveredCopies++
    lastCopyAt = Math.max(lastCopyAt, d.at)
    copyLatencies.push(d.at - message.sentAt)
    copiesOf.set(message.tag, [...(copiesOf.get(message.tag) ?? []), d.at])
  }
  const expectedCopies = sent.reduce((sum, m) => sum + m.destinations.length, 0)
  const messageLatencies = sent.flatMap((m) => {
    const copies = copiesOf.get(m.tag) ?? []
    return copies.length === m.destinations.length ? [Math.max(...copies) - m.sentAt] : []
  })
  for (const m of sent) {
    if (samples.lost.length >= SAMPLES) break
    for (const destination of m.destinations) if (!topics.get(destination)?.seen.has(m.seq)) samples.lost.push(`${m.tag} → ${destination}`)
  }
  const firstSentAt = Math.min(...sent.map((m) => m.sentAt))
  const spanMs = Math.max(1, lastCopyAt - firstSentAt)
  return {
    messages: sent.length,
    expectedCopies,
    deliveredCopies,
    lost: expectedCopies - deliveredCopies,
    duplicated,
    outOfOrder,
    misrouted,
    fullyRelayed: messageLatencies.length,
    copyLatencyMs: distribution(copyLatencies),
    messageLatencyMs: distribution(messageLatencies),
    spanMs,
    samples,
    messagesPerSecond: (messageLatencies.length / spanMs) * 1000,
    copiesPerSecond: (deliveredCopies / spanMs) * 1000,
  }
}
