import { describe, expect, it } from 'vitest'
import { playRoutingStory } from '../../src/demo/routing-story.js'
import { Transcript } from '../../src/demo/transcript.js'
import { useHarness } from '../support/suite.js'

const h = useHarness()

describe('the demo’s routing steps', () => {
  it('queue Yuri while nobody is online, list him for the lead, and give him to Dave once Dave is online', async () => {
    const { sim, world } = h
    const lines: string[] = []
    const transcript = new Transcript(sim, new Map([[world.bots.cr.id, 'CR bot']]), (line) => lines.push(line))
    transcript.watchGroup(world.groups.cs.id, 'CS group')
    transcript.watchGroup(world.groups.south.id, 'CR South')
    const project = h.app.projects.find((p) => p.id === h.projectId)!
    await playRoutingStory({ sim, world, transcript, project, db: h.app.db })
    const steps = lines.join('\n').split('━━ ').slice(1)
    expect(steps.map((s) => s.slice(0, 3))).toEqual(['21.', '22.', '23.'])
    expect(steps[1]).toMatch(/Waiting for an owner \(oldest first\): ⏎ 1\. Yuri · CR South · waiting under a minute/)
    expect(steps[2]).toMatch(/CR South › Yuri · ACC-1002: #\d+ CR bot: 👤 Owner: Dave/)
  })
})
