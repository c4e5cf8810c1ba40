import { describe, expect, it } from 'vitest'
import { playSuggestStory, suggestProjectConfig } from '../../src/demo/suggest-story.js'
import { Transcript } from '../../src/demo/transcript.js'
import { useOnboardedZoe } from '../support/suite.js'

// The demo's suggest-mode chapter, on its own: the fake provider, the demo's knowledge folder, suggest mode off until the story.
const { h } = useOnboardedZoe({ openai: true, project: suggestProjectConfig }, async (harness) => {
  await harness.app.knowledge
})

describe('the demo: a suggestion being sent', () => {
  it('shows the suggested reply with its source and sends it on a press', async () => {
    const lines: string[] = []
    const transcript = new Transcript(h.sim, new Map(), (line) => lines.push(line))
    transcript.watchPrivate(h.world.people.zoe.id, h.world.bots.client.id)
    const acme = h.app.projects.find((p) => p.id === h.projectId)!
    await playSuggestStory({ sim: h.sim, world: h.world, transcript, project: acme })
    const zoeGot = h.sim.privateMessages(h.world.people.zoe.id, h.world.bots.client.id).at(-1)!.text
    expect(zoeGot).toContain('Refunds reach your card within five working days')
    expect(zoeGot).not.toContain('">')
    expect(lines.join('\n')).toContain('50. The suggestion is sent')
    expect(acme.config.assistant?.mode).toBe('off')
  })
})
