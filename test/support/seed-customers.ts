import { and, eq, inArray } from 'drizzle-orm'
import { accounts, assignments, customers, topics } from '../../src/db/schema/index.js'
import type { SimUser } from '../../src/simulator/types.js'
import type { Harness } from './harness.js'

/** A client to seed as onboarded: their Telegram user and the email of their account record. */
export interface SeededClient {
  user: SimUser
  email: string
}

/** Per client, the thread ids of their topics in CS and in the CR team's group. */
export interface SeededTopics {
  cs: number
  cr: number
  crChat: number
}

/**
 * Writes what onboarding leaves for each client — an active customer linked to their account,
 * the decided assignment, open topics in CS and the CR team — and creates those topics in the
 * simulator, without the service. For tests whose subject comes after onboarding and that need
 * many customers (onboarding itself is tested through the real flow in onboarding.test.ts and
 * wherever useOnboardedZoe is used). What it leaves out: the onboarding card, the pinned profile
 * cards and notices in the topics, the welcome message, and an owner (routing is not run).
 */
export async function seedOnboarded(h: Harness, clients: SeededClient[], team: 'north' | 'south'): Promise<SeededTopics[]> {
  const { db } = h.database
  const { world, sim } = h
  const crChat = team === 'north' ? world.groups.north.id : world.groups.south.id
  const found = await db
    .select()
    .from(accounts)
    .where(
      and(
        eq(accounts.projectId, h.projectId),
        inArray(
          accounts.email,
          clients.map((c) => c.email),
        ),
      ),
    )
  const accountOf = new Map(found.map((a) => [a.email, a]))
  const names = clients.map((c) => {
    const account = accountOf.get(c.email)
    if (!account) throw new Error(`no account record ${c.email}`)
    return `${[c.user.firstName, c.user.lastName].filter(Boolean).join(' ')} · ${account.externalId}`
  })
  // Topics the bots of each role created, as the outbox would have (no updates reach the service).
  const csThreads = sim.seedTopics(world.groups.cs.id, world.bots.cs.id, names)
  const crThreads = sim.seedTopics(crChat, world.bots.cr.id, names)
  const decidedAt = new Date()
  const seeded: SeededTopics[] = []
  for (const [i, client] of clients.entries()) {
    const account = accountOf.get(client.email)!
    await db.transaction(async (tx) => {
      const [created] = await tx.insert(customers).values({
        projectId: h.projectId,
        telegramUserId: client.user.id,
        clientBotId: world.bots.client.id,
        accountId: account.id,
        state: 'active',
        firstName: client.user.firstName,
        lastName: client.user.lastName ?? null,
        username: client.user.username ?? null,
        crTeam: team,
        crTeamHintSeen: account.crTeamHint,
        treatment: false,
      })
      const customerId = Number(created.insertId)
      await tx.insert(assignments).values({ projectId: h.projectId, customerId, state: 'assigned', crTeam: team, decidedBy: world.people.alice.id, decidedAt })
      const topic = { projectId: h.projectId, customerId, name: names[i]!, state: 'open' as const, lastActivityAt: decidedAt }
      await tx.insert(topics).values([
        { ...topic, role: 'cs', teamKey: 'cs', chatId: world.groups.cs.id, threadId: csThreads[i]! },
        { ...topic, role: 'cr', teamKey: team, chatId: crChat, threadId: crThreads[i]! },
      ])
    })
    seeded.push({ cs: csThreads[i]!, cr: crThreads[i]!, crChat })
  }
  return seeded
}
