import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { assistantSuggestions, customers } from '../../src/db/schema/index.js'
import { waitForTopicMessage } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { useOnboardedZoe } from '../support/suite.js'

// Suggest mode for a client who writes Spanish to a project whose staff (and knowledge base) are English.
const { h, zoe } = useOnboardedZoe(
  {
    openai: { assistant: { timeoutSeconds: 3 } },
    project: { assistant: { knowledge: 'test/fixtures/kb/acme' }, translation: { staffLanguage: 'en' } },
  },
  async (harness) => {
    await harness.app.knowledge
    await harness.database.db.update(customers).set({ ownerUserId: harness.world.people.bob.id }).where(eq(customers.telegramUserId, harness.world.people.zoe.id))
  },
)

const QUESTION_ES = 'Olvidé mi contraseña y no puedo entrar'
const QUESTION_EN = 'I forgot my password and cannot sign in'

describe('a question in another language', () => {
  it('is looked up in the knowledge base by its translation into the staff language', async () => {
    h.openai!.answer(QUESTION_ES, QUESTION_EN)
    h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text: QUESTION_ES })
    await waitForTopicMessage(h, h.world.groups.cs.id, zoe.cs, QUESTION_ES)
    await pollUntil(async () => (await h.database.db.select().from(assistantSuggestions)).length > 0, { message: 'a suggestion was recorded' })
    // The suggestion's prompt holds the English passage the Spanish words alone would not find.
    const suggest = h
      .openai!.chatRequests()
      .map((r) => (r.body as { messages: Array<{ role: string; content: string }> }).messages)
      .find((messages) => messages.some((m) => m.content.includes('<passage')))
    expect(suggest?.[0]?.content).toMatch(/<passage id="\d+" source="accounts.md#Your account > Resetting your password">/)
    expect(suggest?.at(-1)).toEqual({ role: 'user', content: QUESTION_ES })
  })
})
