import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { loadConfig } from '../../src/config/index.js'
import type { SimUser } from '../../src/simulator/index.js'
import { capturedLogger } from '../support/captured-log.js'
import { waitForPrivate } from '../support/flows.js'
import { useOnboardedZoe } from '../support/suite.js'

const file = join(mkdtempSync(join(tmpdir(), 'topicdesk-reload-')), 'config.yaml')
/** The environment the config file is read with (its `${VAR}` values). */
const env: Record<string, string> = {}
const log = capturedLogger('info')
let nora: SimUser

/**
 * The service reads `file` again on /reload and SIGHUP; Nora is in the CS group but not (yet) an
 * agent. Bob (CS, not a lead) is the deployment's operator; Alice is a CS lead but not an operator.
 */
const { h, zoe } = useOnboardedZoe({
  logger: log.logger,
  start: { configSource: () => loadConfig(file, env) },
  prepare: (sim, world) => {
    nora = sim.createUser({ firstName: 'Nora', username: 'nora_agent' })
    sim.addMember(world.groups.cs.id, nora.id)
    return { operators: [world.people.bob.id] }
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

const refusedLines = () => log.lines().filter((line) => line.msg === 'roster reload refused; the old rosters stay')

describe('reloading the agents without a restart', () => {
  it('/reload by an operator adds an agent at once; a CS lead who is not an operator is refused', async () => {
    expect(await noraIsRelayed('before')).toBe(false)
    writeConfig([noraAsAgent()])
    expect(await reloadAs(h.world.people.alice)).toBe("Only the deployment's operators can reload the config.")
    expect(await noraIsRelayed('after a refused reload')).toBe(false)
    expect(await reloadAs(h.world.people.bob)).toBe('Staff list reloaded: 6 people (1 added, 0 removed).')
    expect(await noraIsRelayed('after the reload')).toBe(true)
  })

  it('a bad file keeps the old roster; the chat is told to see the logs, which say why', async () => {
    writeConfig([{ ...noraAsAgent(), projects: { nowhere: { roles: ['cs'] } } }])
    expect(await reloadAs(h.world.people.bob)).toBe('Config invalid, see the logs. The current staff list stays.')
    expect(JSON.stringify(refusedLines().at(-1))).toContain('agents.0.projects.nowhere: unknown project')
    expect(await noraIsRelayed('after a bad file')).toBe(true)
  })

  it('a YAML error quotes no substituted secret: not in the chat, not in the log', async () => {
    const token = h.config.projects[0]!.bots.cs[0]!
    const database = new URL(h.config.database.url)
    Object.assign(env, { CS_TOKEN: token, DATABASE_URL_FROM_ENV: h.config.database.url })
    // The CS token's line lacks its closing quote: the YAML error quotes that line.
    const text = stringify({ ...h.config, agents: [noraAsAgent()], database: { url: '${DATABASE_URL_FROM_ENV}' } }).replace(`- ${token}`, '- "${CS_TOKEN}')
    expect(text).toContain('"${CS_TOKEN}')
    writeFileSync(file, text)
    const answer = await reloadAs(h.world.people.bob)
    expect(answer).toBe('Config invalid, see the logs. The current staff list stays.')
    const line = JSON.stringify(refusedLines().at(-1))
    expect(line).toContain('not valid YAML')
    expect(line).not.toContain(token.split(':')[1])
    expect(log.output()).not.toContain(token.split(':')[1])
    expect(log.output()).not.toContain(`:${database.password}@`)
    expect(await noraIsRelayed('after a YAML error')).toBe(true)
  })

  it('the SIGHUP path removes an agent: ignored from then on', async () => {
    writeConfig([])
    const outcome = await h.app.reloadRosters()
    expect(outcome).toEqual({ ok: true, projects: [{ key: h.world.project.key, members: 5, added: [], removed: [nora.id] }] })
    expect(await noraIsRelayed('after removal')).toBe(false)
  })
})
