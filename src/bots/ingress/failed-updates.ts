import type { FailedUpdate, UpdateKey } from '../../db/repositories/updates.js'

/** "<bot id>:<update id>", the key an operator types and a button carries. */
export function formatUpdateKey(key: UpdateKey): string {
  return `${key.botId}:${key.updateId}`
}

export function parseUpdateKey(text: string): UpdateKey | undefined {
  const match = /^(\d{1,15}):(\d{1,15})$/.exec(text)
  return match ? { botId: Number(match[1]), updateId: Number(match[2]) } : undefined
}

export function describeFailedUpdate(update: FailedUpdate): string {
  const firstLine = update.error?.split('\n')[0]?.slice(0, 300) ?? 'no error recorded'
  return `update ${formatUpdateKey(update)} (${update.kind}, ${update.attempts} attempts): ${firstLine}`
}
