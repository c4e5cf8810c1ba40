import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { customers } from '../../src/db/schema/index.js'
import { askInGroup } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const { h, zoe } = useOnboardedZoe({ project: { translation: { staffLanguage: 'en' } } })

const cs = () => h.world.groups.cs.id
const alice = () => h.world.people.alice.id
const zoeRow = async () => (await h.database.db.select().from(customers).where(eq(customers.telegramUserId, h.world.people.zoe.id)))[0]!

describe('/tr', () => {
  it('turns translation off and on for the customer, stored on them', async () => {
    expect((await askInGroup(h, alice(), cs(), '/tr off', zoe.cs)).text).toBe('🌐 Translation is off for Zoe Quinn: messages go both ways as written. /tr on turns it back on.')
    expect((await zoeRow()).translationOff).toBe(true)
    expect((await askInGroup(h, alice(), cs(), '/tr off', zoe.cs)).text).toBe('Translation is already off for Zoe Quinn.')
    expect((await askInGroup(h, alice(), cs(), '/tr', zoe.cs)).text).toBe('Usage: /tr off (no translation for this customer) or /tr on.')
    expect((await askInGroup(h, alice(), cs(), '/tr on', zoe.cs)).text).toBe('🌐 Translation is on for Zoe Quinn.')
    expect((await zoeRow()).translationOff).toBe(false)
  })
})
