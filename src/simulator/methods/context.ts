import type { Params } from '../params.js'
import type { BotState, World } from '../world.js'

export interface CallContext {
  world: World
  bot: BotState
  params: Params
  /** Aborted when the client goes away (ends a held getUpdates). */
  signal: AbortSignal
}

export type Handler = (ctx: CallContext) => unknown

/** A result that Telegram answers with an extra `description` (setWebhook and friends). */
export class WithDescription {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}
