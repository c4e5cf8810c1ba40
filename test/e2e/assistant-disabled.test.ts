import { describe, expect, it } from 'vitest'
import { assistantJobs } from '../../src/db/schema/index.js'
import type { AssistantTrigger } from '../../src/domain/assistant/triggers.js'
import { waitForTopicMessage } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const triggered: string[] = []
const spy: AssistantTrigger = (_tx, _clock, _project, event) => Promise.resolve(void triggered.push(event.kind))

// No `assistant` in the config: no project has one.
const { h, zoe } = useOnboardedZoe({ start: { assistantTriggers: [spy] } })

describe('no project has an assistant', () => {
  it('the relay queues no assistant work and the worker does not poll', async () => {
    const { sim, world } = h
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'hello without an assistant' })
    await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'hello without an assistant')
    expect(triggered).toEqual([])
    expect(await h.database.db.select().from(assistantJobs)).toEqual([])
    expect(h.app.assistant.worker.started).toBe(false)
  })
})
