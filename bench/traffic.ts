import type { Simulator } from '../src/simulator/index.js'
import { sleep } from './stats.js'

/** One client message the benchmark sent, and where its copies must appear. */
export interface SentMessage {
  tag: string
  customer: number
  seq: number
  sentAt: number
  /** "chatId:threadId" of each topic that must get exactly one copy. */
  destinations: string[]
}

/** A customer traffic is sent for: who writes, to which client bot (the generator's unless given), and the topics that must get a copy. */
export interface TrafficTarget {
  customer: { index: number; user: { id: number }; name: string }
  topics: Array<{ chatId: number; threadId: number }>
  clientBotId?: number
}

export const destinationKey = (chatId: number, threadId: number | undefined) => `${chatId}:${threadId ?? ''}`

/** `[b<customer>.<seq>]`: the witness finds it in every copy, whatever header the service adds. */
export const TAG_PATTERN = /\[b(\d+)\.(\d+)\]/

/**
 * Sends tagged client messages round-robin over the customers, at a fixed rate or as fast as
 * the event loop allows (in chunks, so the simulator keeps serving the service meanwhile).
 */
export class TrafficGenerator {
  private readonly nextSeq = new Map<number, number>()
  private cursor = 0

  constructor(
    private readonly sim: Simulator,
    private readonly clientBotId: number,
    private customers: TrafficTarget[],
  ) {}

  /** From now on, traffic goes round-robin over `customers` (e.g. after more were seeded). */
  retarget(customers: TrafficTarget[]): void {
    this.customers = customers
    this.cursor = 0
  }

  async offer(count: number, ratePerSecond?: number): Promise<SentMessage[]> {
    const sent: SentMessage[] = []
    const started = Date.now()
    while (sent.length < count) {
      const due = ratePerSecond === undefined ? sent.length + 100 : Math.floor(((Date.now() - started) / 1000) * ratePerSecond) + 1
      while (sent.length < Math.min(due, count)) sent.push(this.sendOne())
      await sleep(ratePerSecond === undefined ? 1 : 5)
    }
    return sent
  }

  private sendOne(): SentMessage {
    const { customer, topics, clientBotId } = this.customers[this.cursor++ % this.customers.length] as TrafficTarget
    const seq = this.nextSeq.get(customer.index) ?? 1
    this.nextSeq.set(customer.index, seq + 1)
    const tag = `[b${customer.index}.${seq}]`
    const sentAt = Date.now()
    this.sim.sendPrivate(customer.user.id, clientBotId ?? this.clientBotId, { text: `Question ${seq} from ${customer.name}: where is my order? ${tag}` })
    return { tag, customer: customer.index, seq, sentAt, destinations: topics.map((t) => destinationKey(t.chatId, t.threadId)) }
  }
}
