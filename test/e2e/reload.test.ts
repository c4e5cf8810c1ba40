import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/index.js'
import type { SimUser } from '../../src/simulator/index.js'
import { waitForPrivate } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const file = join(mkdtempSync(join(tmpdir(), 'topicdesk-reload-')), 'config.json')
let nora: SimUser

/** The service reads `file` again on /reload and SIGHUP; Nora is in the CS group but not (yet) an agent. */
const { h, zoe } = useOnboardedZoe({
  start: { configSource: () => loadConfig(file, {}) },
  prepare: (sim, world) => {
    nora = sim.createUser({ firstName: 'Nora', username: 'nora_agent' })
    sim.addMember(world.groups.cs.id, nora.id)
  },
})

const cs = () => h.world.groups.cs.id
const writeConfig = (agents: unknown[]) => writeFileSync(file, JSON.stringify({ ...h.config, agents }))
const noraAsAgent = () => ({ id: nora.id, name: 'Nora', projects: { [h.world.project.key]: { roles: ['cs'] } } })

/** `/reload` typed in the CS group's General by `who`; resolves with the bot's answer. */
async function reloadAs(who: { id: number }): Promise<string> {
  const { sim } = h
  const command = sim.sendGroup(who.id, cs(), { text: '/reload' })
  const answer = await sim.waitFor(() => sim.chatMessages(cs()).find((m) => m.reply_to_message_id === command.message_id))
  return answer.text ?? ''
}

/** Nora, then Alice, write in Zoe's CS topic (handled in that order); true when Nora's message reached Zoe. */
async function noraIsRelayed(text: string): Promise<boolean> {
  const { sim, world } = h
  sim.sendGroup(nora.id, cs(), { text: `Nora: ${text}` }, { threadId: zoe.cs })
  sim.sendGroup(world.people.alice.id, cs(), { text: `Alice: ${text}` }, { threadId: zoe.cs })
  await waitForPrivate(h, world.people.zoe.id, world.bots.client.id, `Alice: ${text}`)
  return sim.privateMessages(world.people.zoe.id, world.bots.client.id).some((m) => m.text === `Nora · CS\nNora: ${text}`)
}

describe('reloading the agents without a restart', () => {
  it('/reload by a CS lead adds an agent at once; others are refused', async () => {
    expect(await noraIsRelayed('before')).toBe(false)
    writeConfig([noraAsAgent()])
    expect(await reloadAs(h.world.people.bob)).toBe('Only CS leads can reload the staff list.')
    expect(await noraIsRelayed('after a refused reload')).toBe(false)
    expect(await reloadAs(h.world.people.alice)).toBe('Staff list reloaded: 6 people (1 added, 0 removed).')
    expect(await noraIsRelayed('after the reload')).toBe(true)
  })

  it('a bad file keeps the old roster and /reload says why', async () => {
    writeConfig([{ ...noraAsAgent(), projects: { nowhere: { roles: ['cs'] } } }])
    const answer = await reloadAs(h.world.people.alice)
    expect(answer).toContain('The staff list was not reloaded; the current one stays.')
    expect(answer).toContain('agents.0.projects.nowhere: unknown project "nowhere"')
    expect(await noraIsRelayed('after a bad file')).toBe(true)
  })

  it('the SIGHUP path removes an agent: ignored from then on', async () => {
    writeConfig([])
    const outcome = await h.app.reloadRosters()
    expect(outcome).toEqual({ ok: true, projects: [{ key: h.world.project.key, members: 5, added: [], removed: [nora.id] }] })
    expect(await noraIsRelayed('after removal')).toBe(false)
  })
})
