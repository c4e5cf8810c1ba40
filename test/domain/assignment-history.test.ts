import { describe, expect, it } from 'vitest'
import { historyLine } from '../../src/domain/assignment-log.js'

const names: Record<number, string> = { 11: 'Rita', 12: 'Ben', 13: 'Alice' }
const nameOf = (userId: number) => names[userId] ?? `user ${userId}`
const at = new Date('2026-11-26T14:02:31.000Z')
const row = (fields: Partial<Parameters<typeof historyLine>[0]>): Parameters<typeof historyLine>[0] => ({
  id: 1,
  projectId: 1,
  customerId: 1,
  action: 'onboarded',
  fromTeam: null,
  toTeam: null,
  fromOwner: null,
  toOwner: null,
  actorUserId: null,
  reason: 'command',
  note: null,
  createdAt: at,
  updatedAt: at,
  ...fields,
})

describe('/history lines', () => {
  it('render owner changes with names from the roster, the first owner, the queue and the note as the reason', () => {
    expect(historyLine(row({ action: 'owner_changed', fromOwner: 11, toOwner: 12, actorUserId: 13, reason: 'transfer', note: 'on holiday' }), null, nameOf)).toBe(
      '2026-11-26 14:02 UTC · owner Rita → Ben · by Alice (transfer): on holiday',
    )
    expect(historyLine(row({ action: 'owner_changed', toOwner: 11, reason: 'routing' }), null, nameOf)).toBe('2026-11-26 14:02 UTC · owner → Rita · by system (routing)')
    expect(historyLine(row({ action: 'owner_changed', fromOwner: 11, reason: 'went_offline' }), null, nameOf)).toBe(
      '2026-11-26 14:02 UTC · owner Rita → queue · by system (went offline)',
    )
    // Someone no longer on the roster: their id.
    expect(historyLine(row({ action: 'owner_changed', fromOwner: 99, toOwner: 12, actorUserId: 99, reason: 'command' }), null, nameOf)).toBe(
      '2026-11-26 14:02 UTC · owner user 99 → Ben · by user 99 (command)',
    )
  })

  it('render queued, resolved (with the rating when given) and reopened', () => {
    expect(historyLine(row({ action: 'queued', reason: 'no_agent' }), null, nameOf)).toBe('2026-11-26 14:02 UTC · queued for an owner · by system (no agent)')
    expect(historyLine(row({ action: 'resolved', actorUserId: 11 }), null, nameOf)).toBe('2026-11-26 14:02 UTC · resolved · by Rita (command)')
    expect(historyLine(row({ action: 'resolved', actorUserId: 11, reason: 'topic_closed' }), 4, nameOf)).toBe('2026-11-26 14:02 UTC · resolved, rated 4/5 · by Rita (topic closed)')
    expect(historyLine(row({ action: 'reopened', reason: 'client_message' }), null, nameOf)).toBe('2026-11-26 14:02 UTC · reopened · by the client (client message)')
    expect(historyLine(row({ action: 'reopened', actorUserId: 12, reason: 'topic_reopened' }), null, nameOf)).toBe('2026-11-26 14:02 UTC · reopened · by Ben (topic reopened)')
  })

  it('keep the team moves as before', () => {
    expect(historyLine(row({ action: 'reassigned', fromTeam: 'north', toTeam: 'south', actorUserId: 13, reason: 'in bot' }), null, nameOf)).toBe(
      '2026-11-26 14:02 UTC · reassigned north → south · by Alice (in bot)',
    )
    expect(historyLine(row({ action: 'onboarded', toTeam: 'north', actorUserId: 13, reason: 'button' }), null, nameOf)).toBe(
      '2026-11-26 14:02 UTC · onboarded — → north · by Alice (button)',
    )
  })
})
