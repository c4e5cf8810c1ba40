import type { Delivery } from '../src/simulator/index.js'
import { distribution, type Distribution } from './stats.js'
import { destinationKey, TAG_PATTERN, type SentMessage } from './traffic.js'

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
    if (topic.seen.has(message.seq)) {
      duplicated++
      continue
    }
    topic.seen.add(message.seq)
    if (message.seq < topic.maxSeq) outOfOrder++
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
    messagesPerSecond: (messageLatencies.length / spanMs) * 1000,
    copiesPerSecond: (deliveredCopies / spanMs) * 1000,
  }
}
