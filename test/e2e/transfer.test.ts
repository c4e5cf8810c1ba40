import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { assignmentLog, customers, reassignments } from '../../src/db/schema/index.js'
import { changeOwner } from '../../src/domain/owners/change-owner.js'
import type { SimUser } from '../../src/simulator/index.js'
import { askInGroup, buttonData, onboard, waitForTopic, waitForTopicMessage, type OnboardedTopics, clearOwners } from '../support/flows.js'
import { pollUntil } from '../support/poll.js'
import { createQueryRecorder, projectOwnedTables, unscopedStatements } from '../support/query-recorder.js'
import { lateBound, useHarness } from '../support/suite.js'

/**
 * `/transfer [reason]` with two brands in one service: the owner hands Zoe to another agent of
 * CR North (Ben), a CS lead to anyone or to another team; everyone else is refused, and forged
 * or stale buttons (Beta's customer included) change nothing.
 */
const benUser = lateBound<SimUser>('Ben')
const ben = benUser.view
const zoeTopics = lateBound<OnboardedTopics>('zoe')
const zoe = zoeTopics.view
const recorder = createQueryRecorder()
const h = useHarness(
  {
    secondBrand: true,
    queryLogger: recorder,
    prepare: (sim, world) => {
      const user = sim.createUser({ firstName: 'Ben', username: 'ben_cr' })
      sim.addMember(world.groups.north.id, user.id)
      benUser.set(user)
      return { agents: [{ id: user.id, name: 'Ben', projects: { acme: { roles: ['cr'], teams: ['north'] } } }] }
    },
  },
  async (harness) => {
    zoeTopics.set(await onboard(harness, harness.world.people.zoe, 'zoe@example.com', 'north'))
    await onboard(harness, harness.beta!.people.zoe, 'zoe@example.com', 'north', { world: harness.beta! })
    // Whoever routing chose, Zoe's owner here is Carol (and beta's Zoe has none).
    await clearOwners(harness)
    const acme = harness.app.projects.find((p) => p.id === harness.projectId)!
    const zoe = (await customerOf(harness.projectId))!
    await harness.app.db.transaction((tx) => changeOwner(tx, acme, zoe.id, { to: harness.world.people.carol.id, by: null, reason: 'routing' }))
  },
)
const b = () => h.beta!
const north = () => h.world.groups.north.id
async function customerOf(projectId: number) {
  const [row] = await h.database.db.select().from(customers).where(eq(customers.projectId, projectId))
  return row
}
const ownerOfZoe = async () => (await customerOf(h.projectId))!.ownerUserId
const ownerLog = async () =>
  h.database.db
    .select()
    .from(assignmentLog)
    .where(and(eq(assignmentLog.projectId, h.projectId), eq(assignmentLog.action, 'owner_changed')))
    .orderBy(assignmentLog.id)
let bensPrompt: Awaited<ReturnType<typeof askInGroup>> | undefined
const currentText = (chatId: number, messageId: number) => h.sim.chatMessages(chatId).find((m) => m.message_id === messageId)

describe('/transfer', () => {
  it('lets the owner hand the customer to another agent of the team, with the reason noted and both owners told', async () => {
    const { sim, world } = h
    const carol = world.people.carol.id
    // A reason over two lines is kept as one (the prompt's last line carries it to the press).
    const prompt = await askInGroup(h, carol, north(), '/transfer speaks Dutch,\n  lives in Utrecht', zoe.cr)
    expect(prompt.text).toBe('🔁 Transfer Zoe Quinn (owner: Carol) to whom?\nReason: speaks Dutch, lives in Utrecht')
    expect(prompt.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toEqual(['→ Ben · ⚪ offline'])
    const answer = await sim.pressButton(carol, north(), prompt.message_id, buttonData(prompt, 'Ben'))
    expect(answer?.text).toBe('🔁 Zoe Quinn now belongs to Ben (transferred by Carol).')
    const notice = await waitForTopicMessage(h, north(), zoe.cr, (m) => m.text?.startsWith('👤 Owner: Carol → Ben') === true)
    expect(notice.text).toBe('👤 Owner: Carol → Ben (by Carol: speaks Dutch, lives in Utrecht)')
    expect(notice.entities?.flatMap((e) => (e.type === 'text_mention' ? [e.user.id] : []))).toEqual([carol, ben.id])
    expect(await ownerOfZoe()).toBe(ben.id)
    expect((await ownerLog()).at(-1)).toMatchObject({ fromOwner: carol, toOwner: ben.id, actorUserId: carol, reason: 'transfer', note: 'speaks Dutch, lives in Utrecht' })
    // The prompt now shows the outcome, without buttons, so it cannot be pressed twice.
    await sim.waitFor(() => currentText(north(), prompt.message_id)?.text?.includes('now belongs to Ben') && !currentText(north(), prompt.message_id)?.reply_markup)
  })

  it('refuses everyone else, at the command and at the press, and changes nothing', async () => {
    const { sim, world } = h
    const carol = world.people.carol.id
    const refusal = "Only the customer's owner or a CS lead can transfer this customer."
    expect((await askInGroup(h, carol, north(), '/transfer', zoe.cr)).text).toBe(refusal)
    expect((await askInGroup(h, world.people.bob.id, world.groups.cs.id, '/transfer', zoe.cs)).text).toBe(refusal)
    const prompt = await askInGroup(h, ben.id, north(), '/transfer', zoe.cr)
    bensPrompt = prompt
    expect(prompt.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toEqual(['→ Carol · ⚪ offline'])
    // Carol is not the owner any more: pressing Ben's prompt does not give her the customer back.
    expect((await sim.pressButton(carol, north(), prompt.message_id, buttonData(prompt, 'Carol')))?.text).toBe(refusal)
    expect(await ownerOfZoe()).toBe(ben.id)
  })

  it('lets a CS lead transfer from the CS topic, and refuses forged buttons, Beta’s customer included', async () => {
    const { sim, world } = h
    const [alice, carol, dave] = [world.people.alice.id, world.people.carol.id, world.people.dave.id]
    const cs = world.groups.cs.id
    const prompt = await askInGroup(h, alice, cs, '/transfer back to Carol', zoe.cs)
    expect(prompt.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toEqual(['→ Carol · ⚪ offline', '🔀 CR South'])
    const acmeZoe = (await customerOf(h.projectId))!
    const betaZoe = (await customerOf(b().projectId))!
    const forgeries = [`tf:a:${betaZoe.id}:${b().people.carol.id}`, `tf:a:${acmeZoe.id}:${dave}`, `tf:t:${betaZoe.id}:south`, `tf:a:${acmeZoe.id}`]
    for (const data of forgeries) {
      const answer = await sim.pressButton(alice, cs, prompt.message_id, data, { forged: true })
      expect(answer?.text).toMatch(/^(This button does not belong to this message\.|This button is no longer valid\.)$/)
    }
    expect((await customerOf(b().projectId))!.ownerUserId).toBeNull()
    expect(await ownerOfZoe()).toBe(ben.id)
    expect((await sim.pressButton(alice, cs, prompt.message_id, buttonData(prompt, 'Carol')))?.text).toBe('🔁 Zoe Quinn now belongs to Carol (transferred by Alice).')
    const notice = await waitForTopicMessage(h, north(), zoe.cr, '👤 Owner: Ben → Carol')
    expect(notice.text).toBe('👤 Owner: Ben → Carol (by Alice: back to Carol)')
    expect(await ownerOfZoe()).toBe(carol)
    // Ben's older prompt is stale: he no longer owns Zoe.
    expect((await sim.pressButton(ben.id, north(), bensPrompt!.message_id, buttonData(bensPrompt!, 'Carol')))?.text).toBe(
      "Only the customer's owner or a CS lead can transfer this customer.",
    )
    expect(await ownerOfZoe()).toBe(carol)
  })

  it('lets a CS lead move the customer to another team now, with the history replayed', async () => {
    const { sim, world } = h
    const alice = world.people.alice.id
    const prompt = await askInGroup(h, alice, world.groups.cs.id, '/transfer', zoe.cs)
    const answer = await sim.pressButton(alice, world.groups.cs.id, prompt.message_id, buttonData(prompt, 'CR South'))
    expect(answer?.text).toContain('is moving to CR South')
    const topic = await waitForTopic(h, world.groups.south.id, 'Zoe Quinn')
    await waitForTopicMessage(h, world.groups.south.id, topic.message_thread_id, '🔀 Moved here from CR North by Alice')
    await pollUntil(async () => (await h.database.db.select().from(reassignments).where(eq(reassignments.state, 'done'))).length === 1, { message: 'the move done' })
    expect((await customerOf(h.projectId))!.crTeam).toBe('south')
    // Beta's customer stayed where she was.
    expect((await customerOf(b().projectId))!.crTeam).toBe('north')
  })

  it('reads and changes only the project’s own rows (query guard)', async () => {
    expect(unscopedStatements(recorder.statements, await projectOwnedTables(h.database.db))).toEqual([])
  })
})
