import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConfig } from '../../src/config/index.js'
import type { ConfigInput } from '../../src/config/schema.js'
import { createSampleWorld, createSecondBrand, sampleConfig, type SampleWorld, type SecondBrand } from '../../src/demo/sample-world.js'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { onboard, waitForTopicMessage } from '../support/flows.js'
import { freePort } from '../support/free-port.js'
import type { Harness } from '../support/harness.js'
import { importSampleAccounts } from '../support/harness.js'
import { pollUntil } from '../support/poll.js'
import { serviceProcess } from '../support/service-process.js'

/**
 * Two projects in one service process (src/main.ts): a bot whose token Telegram refuses — revoked
 * while running, or refused at start-up — marks that bot failing and keeps everything else
 * running; a new token in the config and SIGHUP bring it back.
 */
interface Setup {
  sim: Simulator
  database: TestDatabase
  world: SampleWorld
  beta: SecondBrand
  config: ConfigInput
  service: ReturnType<typeof serviceProcess>
  adminPort: number
  /** What the flows helpers need of a harness. */
  h: Harness
}

async function startService(before?: (sim: Simulator, world: SampleWorld) => void): Promise<Setup> {
  const sim = await startSimulator()
  const database = await createTestDatabase()
  const world = createSampleWorld(sim)
  const beta = createSecondBrand(sim, world)
  before?.(sim, world)
  const adminPort = await freePort()
  const base = sampleConfig(sim, world, database.url, { log: { level: 'info' } })
  const config: ConfigInput = { ...base, http: { port: adminPort, host: '127.0.0.1' }, projects: [world.project, beta.project] }
  createConfig(config)
  const service = serviceProcess(config)
  await service.start()
  await importSampleAccounts(database, world)
  await importSampleAccounts(database, beta)
  return { sim, database, world, beta, config, service, adminPort, h: { sim, world } as unknown as Harness }
}

async function stopService(s: Setup | undefined): Promise<void> {
  await s?.service.stop()
  await s?.sim.close()
  await s?.database.close()
}

const failingGauge = (s: Setup, project: string, botId: number) => async () => {
  const text = await (await fetch(`http://127.0.0.1:${s.adminPort}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith('topicdesk_bot_failing{') && l.includes(`project="${project}"`) && l.includes(`bot="${botId}"`))
  return line === undefined ? undefined : Number(line.split(' ').pop())
}

async function readiness(s: Setup): Promise<{ status: number; body: { checks: Array<{ name: string; ok: boolean; detail: string }> } }> {
  const response = await fetch(`http://127.0.0.1:${s.adminPort}/readyz`)
  return { status: response.status, body: (await response.json()) as never }
}

/** Log lines (pino JSON) of the service whose message contains `text`. */
const logLines = (s: Setup, text: string) =>
  s.service
    .output()
    .split('\n')
    .filter((line) => line.includes(text))

describe('a client bot token revoked while the service runs', () => {
  let s: Setup
  beforeAll(async () => {
    s = await startService()
  }, 60_000)
  afterAll(() => stopService(s))

  it('marks the bot failing, keeps the other project relaying, and relays again after a new token and SIGHUP', async () => {
    const { sim, world, beta, h } = s
    const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
    const acmeClient = world.bots.client.id
    expect(await failingGauge(s, 'acme', acmeClient)()).toBe(0)

    const fresh = sim.revokeToken(acmeClient)
    await pollUntil(async () => (await failingGauge(s, 'acme', acmeClient)()) === 1, { message: 'the acme client bot reported failing' })
    const ready = await readiness(s)
    expect(ready.status).toBe(503)
    expect(JSON.stringify(ready.body.checks)).toContain('projects[0].bots.client')
    // One alarm in acme's Onboarding topic, posted by its CS bot; none in beta.
    const alarms = (world_: SampleWorld) => sim.chatMessages(world_.groups.cs.id).filter((m) => m.text?.includes('cannot receive updates'))
    await sim.waitFor(() => alarms(world).length === 1, { message: 'the bot alarm in the Onboarding topic' })
    expect(alarms(world)[0]!.text).toContain('projects[0].bots.client')
    expect(alarms(world)[0]!.text).toContain('@BotFather')

    // Beta keeps working end to end while acme's client bot is down.
    const betaZoe = await onboard(h, beta.people.zoe, 'zoe@example.com', 'south', { world: beta })
    sim.sendPrivate(beta.people.zoe.id, beta.bots.client.id, { text: 'beta still relays' })
    await waitForTopicMessage(h, beta.groups.cs.id, betaZoe.cs, 'beta still relays')

    // Retries go on (with backoff) without a second alarm.
    await sim.waitFor(() => logLines(s, 'projects[0].bots.client').some((line) => line.includes('still failing')), { message: 'a second failed attempt' })
    expect(alarms(world)).toHaveLength(1)
    expect(alarms(beta)).toHaveLength(0)

    // Acme's client writes meanwhile; the operator puts the new token in the config and sends SIGHUP.
    sim.sendPrivate(world.people.zoe.id, acmeClient, { text: 'written while the token was revoked' })
    const config = { ...s.config, projects: [{ ...world.project, bots: { ...world.project.bots, client: fresh } }, beta.project] }
    writeFileSync(s.service.file, JSON.stringify(config))
    s.service.signal('SIGHUP')
    await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'written while the token was revoked')
    await pollUntil(async () => (await failingGauge(s, 'acme', acmeClient)()) === 0, { message: 'the acme client bot healthy again' })
    expect((await readiness(s)).status).toBe(200)
    expect(s.service.output()).not.toContain('service exited')
  }, 45_000)
})

describe('a token Telegram refuses at start-up', () => {
  let s: Setup
  // Revoked before the service starts: the config still holds the old token.
  beforeAll(async () => {
    s = await startService((sim, world) => void sim.revokeToken(world.bots.client.id))
  }, 60_000)
  afterAll(() => stopService(s))

  it('starts degraded: says which bot and what to do, no stack, and the other project relays', async () => {
    const { sim, beta, world, h } = s
    const [line] = logLines(s, 'projects[0].bots.client')
    expect(line).toBeDefined()
    const entry = JSON.parse(line!) as { msg: string; err?: unknown }
    expect(entry.msg).toContain(`projects[0].bots.client (bot ${world.bots.client.id})`)
    expect(entry.msg).toContain('Telegram refused its token (401 Unauthorized)')
    expect(entry.msg).toContain('check the token with @BotFather')
    expect(entry.msg).toContain('npm run doctor')
    expect(line).not.toContain('GrammyError')
    expect(line).not.toContain('    at ')
    expect(await failingGauge(s, 'acme', world.bots.client.id)()).toBe(1)
    expect(await failingGauge(s, 'beta', beta.bots.client.id)()).toBe(0)
    const betaZoe = await onboard(h, beta.people.zoe, 'zoe@example.com', 'south', { world: beta })
    sim.sendPrivate(beta.people.zoe.id, beta.bots.client.id, { text: 'beta relays beside a degraded acme' })
    await waitForTopicMessage(h, beta.groups.cs.id, betaZoe.cs, 'beta relays beside a degraded acme')
  }, 45_000)
})
