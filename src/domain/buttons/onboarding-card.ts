/**
 * The onboarding card's buttons: `as:<assignmentId>:cr:<team>`, `as:<assignmentId>:tr`,
 * `as:<assignmentId>:rej` (≤ 64 bytes). Pressed by CS leads; bound to the card (the assignment
 * records the card's message) and through the assignment to its customer.
 */
export type CardAction = { assignmentId: number } & ({ action: 'assign'; teamKey: string } | { action: 'treatment' } | { action: 'reject' })

export function encodeCardAction(action: CardAction): string {
  if (action.action === 'assign') return `as:${action.assignmentId}:cr:${action.teamKey}`
  return `as:${action.assignmentId}:${action.action === 'treatment' ? 'tr' : 'rej'}`
}

export function decodeCardAction(data: string): CardAction | undefined {
  const [family, id, action, teamKey, ...rest] = data.split(':')
  const assignmentId = Number(id)
  if (family !== 'as' || !/^\d{1,15}$/.test(id ?? '') || rest.length > 0) return undefined
  if (action === 'cr' && teamKey && /^[a-z0-9_-]{1,64}$/.test(teamKey)) return { assignmentId, action: 'assign', teamKey }
  if (teamKey !== undefined) return undefined
  if (action === 'tr') return { assignmentId, action: 'treatment' }
  if (action === 'rej') return { assignmentId, action: 'reject' }
  return undefined
}
