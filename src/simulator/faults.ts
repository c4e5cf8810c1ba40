import type { FailNextOptions, FaultOptions } from './types.js'
import type { Prng } from './prng.js'
import { isFaultDefault } from './methods/index.js'

export type FaultDecision = 'none' | 'error500' | 'error502' | 'dropBefore' | 'dropAfter'

/** Random transport faults (seeded) and forced failures queued with failNext. */
export class Faults {
  private options: FaultOptions | false
  private forced: Array<FailNextOptions & { remaining: number; after?: number }> = []

  constructor(
    options: FaultOptions | false | undefined,
    private readonly prng: Prng,
  ) {
    this.options = options ?? false
  }

  set(options: FaultOptions | false): void {
    this.options = options
  }

  failNext(o: FailNextOptions): void {
    this.forced.push({ ...o, remaining: o.times ?? 1 })
  }

  /** A forced failure matching this call, consumed when returned. */
  takeForced(token: string, method: string, chatId: number | undefined): FailNextOptions | undefined {
    const rule = this.forced.find(
      (r) => r.method.toLowerCase() === method.toLowerCase() && (r.token === undefined || r.token === token) && (r.chatId === undefined || r.chatId === chatId),
    )
    if (!rule) return undefined
    if (rule.after && rule.after > 0) {
      rule.after -= 1
      return undefined
    }
    if (--rule.remaining <= 0) this.forced.splice(this.forced.indexOf(rule), 1)
    return rule
  }

  decide(method: string): FaultDecision {
    const o = this.options
    if (!o) return 'none'
    const applies = o.methods ? o.methods.some((m) => m.toLowerCase() === method.toLowerCase()) : isFaultDefault(method)
    if (!applies) return 'none'
    const roll = this.prng.next()
    const serverErrorRate = o.serverErrorRate ?? 0
    if (roll < serverErrorRate) return this.prng.next() < 0.5 ? 'error500' : 'error502'
    if (roll < serverErrorRate + (o.dropRate ?? 0)) return this.prng.next() < 0.5 ? 'dropBefore' : 'dropAfter'
    return 'none'
  }
}
