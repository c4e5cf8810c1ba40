import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { playCrmStory } from '../../src/demo/crm-story.js'
import { growthProjectConfig, playGrowthStory } from '../../src/demo/growth-story.js'
import { playRiskStory, riskProjectConfig } from '../../src/demo/risk-story.js'
import { playTranslationStory, translationProjectConfig } from '../../src/demo/translation-story.js'
import { playResolveStory } from '../../src/demo/resolve-story.js'
import { playSecondBrandStory } from '../../src/demo/second-brand-story.js'
import { playStory } from '../../src/demo/story.js'
import { playReminderStory, runRemindersOnce } from '../../src/demo/reminder-story.js'
import { ShiftedClock } from '../../src/domain/clock.js'
import { addSecondSouthAgent, playTransferStory } from '../../src/demo/transfer-story.js'
import { Transcript } from '../../src/demo/transcript.js'
import { startHarness, type Harness } from '../support/harness.js'
import { outboxSettled } from '../support/poll.js'
import { createQueryRecorder, projectOwnedTables, unscopedStatements } from '../support/query-recorder.js'

/**
 * `npm run demo`'s story on a slow day: some copies take a while (a 429 with retry_after holds them).
 * Every step must wait for everything it then prints, in every chat.
 */
describe('the demo story', () => {
  let h: Harness
  const recorder = createQueryRecorder()
  const clock = new ShiftedClock()
  beforeAll(async () => {
    h = await startHarness({
      secondBrand: true,
      betaProject: translationProjectConfig,
      // The assistant translates for Beta; suggest mode (on by default) has its own chapter and test.
      openai: { assistant: { mode: 'off' } },
      queryLogger: recorder,
      start: { clock },
      project: { resolve: { askRating: true }, ...growthProjectConfig, ...riskProjectConfig },
      prepare: (sim, world) => ({ agents: [addSecondSouthAgent(sim, world)] }),
    })
  })
  afterAll(async () => h?.stop())

  it('completes and prints each outcome under its own step when some copies are slow', async () => {
    const { sim, world } = h
    const slow = (token: string, method: string, chatId: number) =>
      sim.failNext({ token, method, chatId, times: 1, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } })
    const lines: string[] = []
    const names = new Map<number, string>([
      [world.bots.cs.id, 'CS bot'],
      [world.bots.cr.id, 'CR bot'],
    ])
    const transcript = new (class extends Transcript {
      override step(title: string): void {
        // The CS copies of the onboarding and the CR copy of an edit are the slow ones.
        if (title.startsWith('6.')) slow(world.bots.cs.token, 'sendMessage', world.groups.cs.id)
        if (title.startsWith('10.')) slow(world.bots.cr.token, 'editMessageCaption', world.groups.north.id)
        super.step(title)
      }
    })(sim, names, (line) => lines.push(line))
    for (const [id, label] of [
      [world.groups.cs.id, 'CS group'],
      [world.groups.north.id, 'CR North'],
      [world.groups.south.id, 'CR South'],
    ] as const)
      transcript.watchGroup(id, label)
    transcript.watchPrivate(world.people.zoe.id, world.bots.client.id)

    await playStory({ sim, world, transcript, db: h.database.db })

    const steps = new Map<string, string>()
    for (const block of lines.join('\n').split('━━ ').slice(1)) steps.set(block.slice(0, block.indexOf('.')), block)
    expect(steps.get('6')).toMatch(/CS group › Zoe Quinn · ACC-1001: #\d+ CS bot: Hi! My order #1234 has not arrived yet\./)
    expect(steps.get('6')).toMatch(/CR North › Zoe Quinn · ACC-1001: #\d+ CR bot: Hi! My order #1234/)
    expect(steps.get('10')).toMatch(/CS group › Zoe Quinn · ACC-1001: ↻ #\d+ CS bot: \[photo\] This is the slip \(front side\) \(edited\)/)
    expect(steps.get('10')).toMatch(/CR North › Zoe Quinn · ACC-1001: ↻ #\d+ CR bot: \[photo\] This is the slip \(front side\) \(edited\)/)
    expect(steps.get('11')).not.toContain('front side')
    expect(steps.get('17')).toContain('refund is on its way')

    // The second brand, in the same service: Bob signs with Beta's label, nothing reaches Acme.
    const beta = h.beta!
    transcript.watchGroup(beta.groups.cs.id, 'Beta CS group')
    transcript.watchPrivate(beta.people.zoe.id, beta.bots.client.id)
    await playSecondBrandStory({ sim, world, beta, transcript, print: (line) => lines.push(line) })
    const betaSteps = lines.join('\n').split('━━ ').slice(-3)
    expect(betaSteps[0]).toMatch(/^18\. [\s\S]*Beta CS group › Onboarding: #\d+ \d+: 🆕 New customer/)
    expect(betaSteps[2]).toMatch(/^20\. [\s\S]*: #\d+ \d+: Bob · Beta Care ⏎ Hello from Beta/)
    expect(betaSteps[2]).toContain("Acme's client and groups got 0 new messages from Beta's steps.")

    // Presence and a transfer: Dave's private /online, Alice's /transfer, /who in the CS group.
    await playTransferStory({ sim, world, transcript })
    const transferSteps = lines.join('\n').split('━━ ').slice(-3)
    expect(transferSteps[0]).toMatch(/^24\. [\s\S]*🟢 online: Dave, you are online/)
    expect(transferSteps[1]).toMatch(/^25\. [\s\S]*👤 Owner: [^\n]*\(by Alice: knows the courier\)/)
    expect(transferSteps[2]).toMatch(/^26\. [\s\S]*👥 CR North/)
    // A resolve with a rating.
    await playResolveStory({ sim, world, transcript })
    const resolveSteps = lines.join('\n').split('━━ ').slice(-2)
    expect(resolveSteps[0]).toMatch(/^27\. [\s\S]*CR South › Zoe Quinn · ACC-1001: #\d+ CR bot: ✅ Resolved by Alice/)
    expect(resolveSteps[0]).toContain('How did we do?')
    expect(resolveSteps[1]).toMatch(/^28\. [\s\S]*CS group › Zoe Quinn · ACC-1001: #\d+ CS bot: ⭐ Zoe Quinn rated the conversation 5\/5/)
    // The reminder: the service's clock moves, the CR topic is reminded, then the CS leads are told.
    await playReminderStory({ sim, world, transcript, advanceClock: (ms) => clock.advance(ms), runReminders: () => runRemindersOnce(h.app) })
    const reminderSteps = lines.join('\n').split('━━ ').slice(-3)
    expect(reminderSteps[1]).toMatch(/^30\. [\s\S]*CR South › Zoe Quinn · ACC-1001: #\d+ CR bot: ⏰ Rita, this message has waited 10 min for an answer/)
    expect(reminderSteps[2]).toMatch(/^31\. [\s\S]*CS group › Onboarding: #\d+ CS bot: 🚨 Zoe Quinn \(CR South\) has waited 30 min for an answer/)

    // Tags and a canned reply.
    await playCrmStory({ sim, world, transcript })
    const crmSteps = lines.join('\n').split('━━ ').slice(-2)
    expect(crmSteps[0]).toMatch(/^32\. [\s\S]*CS group › Zoe Quinn · ACC-1001: ↻ #\d+ CS bot: 👤 Zoe Quinn[\s\S]*Tags: #vip/)
    expect(crmSteps[1]).toMatch(/^33\. [\s\S]*: Alice · CS ⏎ Your refund is on its way/)

    // Automatic answers, a flow and a broadcast (the links and reports stories, 34–38, are left out here).
    await playGrowthStory({ sim, world, transcript })
    const growthSteps = lines.join('\n').split('━━ ').slice(-7)
    expect(growthSteps[0]).toMatch(/^39\. [\s\S]*CR South › Zoe Quinn · ACC-1001: #\d+ CR bot: 🤖 auto-answered ⏎ What are your opening hours\?/)
    expect(growthSteps[1]).toMatch(/^40\. [\s\S]*CS group › Zoe Quinn · ACC-1001: #\d+ CS bot: 🙋 Talk to a person/)
    expect(growthSteps[4]).toMatch(/^43\. [\s\S]*CR South › Zoe Quinn · ACC-1001: ↻ #\d+ CR bot: 👤 Zoe Quinn[\s\S]*Answers: order: A-1234 · product: Desk lamp/)
    expect(growthSteps[6]).toMatch(/^45\. [\s\S]*📣 Broadcast to tag:vip: 1 \/ 1 sent, 0 blocked\. Done\./)

    // Risk phrases: one blocked, one confirmed by its author alone.
    await playRiskStory({ sim, world, transcript })
    const riskSteps = lines.join('\n').split('━━ ').slice(-3)
    expect(riskSteps[0]).toMatch(/^46\. [\s\S]*⛔ Not sent: your message contains the risk phrase "card-number"/)
    expect(riskSteps[0]).not.toMatch(/Zoe's chat/)
    expect(riskSteps[1]).toMatch(/^47\. [\s\S]*Alice alone sees: ⚠️ [^\n]*\[Send anyway \| Cancel\]/)
    expect(riskSteps[2]).toMatch(/^48\. [\s\S]*'s chat with [^\n]*: Alice · CS ⏎ You will get a guaranteed refund by Friday\./)

    // A conversation in two languages (Beta translates): Spanish in, English for the staff, and back.
    transcript.watchGroup(beta.groups.north.id, 'Beta CR North')
    await playTranslationStory({ sim, beta, transcript, openai: h.openai! }, 53)
    const translationSteps = lines.join('\n').split('━━ ').slice(-2)
    expect(translationSteps[0]).toMatch(/^53\. [\s\S]*Beta CR North › Zoe[^\n]*¿Dónde está mi pedido\?[^\n]*🌐 Where is my order\?/)
    expect(translationSteps[1]).toMatch(/^54\. [\s\S]*'s chat with [^\n]*: Bob · Beta Care ⏎ Su pedido salió hoy de nuestro almacén\./)

    // The query guard over the whole story: every statement on a project-owned table is scoped.
    await outboxSettled(h.app.db)
    expect(unscopedStatements(recorder.statements, await projectOwnedTables(h.database.db))).toEqual([])
  })
})
