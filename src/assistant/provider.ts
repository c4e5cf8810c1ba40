/** What assistant work asks a provider for (the seam every assistant feature codes against). */
export type AssistantPurpose = 'suggest' | 'answer' | 'ask' | 'summary' | 'translate' | 'embed'

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface ChatRequest {
  messages: ChatMessage[]
  purpose: AssistantPurpose
  maxTokens?: number
}

export interface AssistantProvider {
  chat(req: ChatRequest): Promise<{ text: string; tokens: number }>
  /** Streams; onText gets the whole text so far (throttle yourself). */
  stream(req: ChatRequest, onText: (soFar: string) => void | Promise<void>): Promise<{ text: string; tokens: number }>
  /** undefined when the project has no embedding model. */
  embed(texts: string[]): Promise<number[][] | undefined>
}

/**
 * Why the assistant could not answer: `disabled` (no assistant for the project), `timeout`
 * (`timeoutSeconds` passed), `rate_limited` (429 after the client's retries), `failed` (5xx after
 * retries, a refused request, a connection error), `cap_reached` (`maxTokensPerDay` spent today).
 */
export type UnavailableReason = 'disabled' | 'timeout' | 'rate_limited' | 'failed' | 'cap_reached'

export class AssistantUnavailable extends Error {
  constructor(
    readonly reason: UnavailableReason,
    message = `the assistant is unavailable (${reason})`,
  ) {
    super(message)
    this.name = 'AssistantUnavailable'
  }
}

/** The reasons that mean the provider itself is failing (an alarm to the leads), not a decision of ours. */
export function isProviderFailure(reason: UnavailableReason): reason is 'timeout' | 'rate_limited' | 'failed' {
  return reason === 'timeout' || reason === 'rate_limited' || reason === 'failed'
}

/** Calls, outcomes and tokens per project (`src/server/metrics.ts` implements it). */
export interface AssistantObserver {
  assistantCall(call: { project: string; purpose: AssistantPurpose; outcome: 'ok' | UnavailableReason; seconds: number; tokens: number }): void
}

/** A project with no assistant: every call says so. */
export const disabledProvider: AssistantProvider = {
  chat: () => Promise.reject(new AssistantUnavailable('disabled')),
  stream: () => Promise.reject(new AssistantUnavailable('disabled')),
  embed: () => Promise.reject(new AssistantUnavailable('disabled')),
}
