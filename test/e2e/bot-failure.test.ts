import { writeFileSync } from 'node:fs'
import { and, eq, like, sql } from 'drizzle-orm'
import { outbox } from '../../src/db/schema/index.js'
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
  return { sim, database, world, beta, config, service, adminPort, h: { sim, world, database } as unknown as Harness }
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

/** The service's config with a project's client token replaced, written to its file and applied with SIGHUP. */
function reloadWithClientToken(s: Setup, projectIndex: number, token: string): void {
  s.config = { ...s.config, projects: s.config.projects.map((p, i) => (i === projectIndex ? { ...p, bots: { ...p.bots, client: token } } : p)) }
  writeFileSync(s.service.file, JSON.stringify(s.config))
  s.service.signal('SIGHUP')
}

const alarms = (s: Setup, world: SampleWorld) => s.sim.chatMessages(world.groups.cs.id).filter((m) => m.text?.includes('cannot receive updates'))

// One service process for the whole story (a process start is the slow part): acme's client
// token is refused at start-up, then fixed; later beta's is revoked while running, then fixed.
describe('bot tokens Telegram refuses', () => {
  let s: Setup
  let acmeToken = ''
  const topics = { acme: 0, beta: 0 }
  beforeAll(async () => {
    s = await startService((sim, world) => void (acmeToken = sim.revokeToken(world.bots.client.id)))
  }, 60_000)
  afterAll(() => stopService(s))

  it('at start-up: the project starts degraded, the log says which bot and what to do (no stack), the other project relays', async () => {
    const { sim, beta, world, h } = s
    const [line] = logLines(s, 'projects[0].bots.client')
    expect(line).toBeDefined()
    const entry = JSON.parse(line!) as { msg: string }
    expect(entry.msg).toContain(`projects[0].bots.client (bot ${world.bots.client.id})`)
    expect(entry.msg).toContain('Telegram refused its token (401 Unauthorized)')
    expect(entry.msg).toContain('check the token with @BotFather')
    expect(entry.msg).toContain('npm run doctor')
    expect(entry.msg).toContain('This project starts degraded')
    expect(line).not.toContain('GrammyError')
    expect(line).not.toContain('    at ')
    expect(await failingGauge(s, 'acme', world.bots.client.id)()).toBe(1)
    expect(await failingGauge(s, 'beta', beta.bots.client.id)()).toBe(0)
    topics.beta = (await onboard(h, beta.people.zoe, 'zoe@example.com', 'south', { world: beta })).cs
    sim.sendPrivate(beta.people.zoe.id, beta.bots.client.id, { text: 'beta relays beside a degraded acme' })
    await waitForTopicMessage(h, beta.groups.cs.id, topics.beta, 'beta relays beside a degraded acme')
    await sim.waitFor(() => alarms(s, world).length === 1, { message: "the alarm in acme's Onboarding topic" })

    // The new token in the config and SIGHUP: acme's client bot works again.
    reloadWithClientToken(s, 0, acmeToken)
    topics.acme = (await onboard(h, world.people.zoe, 'zoe@example.com', 'north')).cs
    expect(await failingGauge(s, 'acme', world.bots.client.id)()).toBe(0)
    expect((await readiness(s)).status).toBe(200)
    // Known by its username from then on.
    expect(logLines(s, 'receives updates again').join('\n')).toContain(`projects[0].bots.client (bot ${world.bots.client.id}, @${world.bots.client.username})`)
  })

  it('while running: the bot is reported failing, the other project keeps relaying, and a new token with SIGHUP brings it back', async () => {
    const { sim, world, beta, h } = s
    const betaClient = beta.bots.client.id
    const fresh = sim.revokeToken(betaClient)
    await pollUntil(async () => (await failingGauge(s, 'beta', betaClient)()) === 1, { message: 'the beta client bot reported failing' })
    const ready = await readiness(s)
    expect(ready.status).toBe(503)
    expect(JSON.stringify(ready.body.checks)).toContain(`projects[1].bots.client (bot ${betaClient}, @${beta.bots.client.username}) failing`)
    // One alarm in beta's Onboarding topic, posted by its CS bot.
    await sim.waitFor(() => alarms(s, beta).length === 1, { message: "the alarm in beta's Onboarding topic" })
    expect(alarms(s, beta)[0]!.from.id).toBe(beta.bots.cs.id)
    expect(alarms(s, beta)[0]!.text).toContain('projects[1].bots.client')
    expect(alarms(s, beta)[0]!.text).toContain('@BotFather')

    // Acme keeps working end to end while beta's client bot is down.
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'acme still relays' })
    await waitForTopicMessage(h, world.groups.cs.id, topics.acme, 'acme still relays')

    // Retries go on (with backoff) without a second alarm.
    await sim.waitFor(() => logLines(s, 'projects[1].bots.client').some((line) => line.includes('still failing')), { message: 'a second failed attempt' })
    expect(alarms(s, beta)).toHaveLength(1)

    // Beta's staff answer meanwhile (the send is refused with 401: the row waits, never dead);
    // beta's client writes too; the operator puts the new token in the config and sends SIGHUP.
    sim.sendGroup(beta.people.alice.id, beta.groups.cs.id, { text: 'answered while the token was revoked' }, { threadId: topics.beta })
    await pollUntil(() => Promise.resolve(s.service.output().includes('the bot token was refused (401)')), { message: 'the answer refused with 401' })
    // The waiting row says why (an operator sees it with the pending rows), and is not dead.
    const waitingRows = () => s.database.db.select().from(outbox).where(like(outbox.lastError, '%waiting for a new bot token%'))
    await pollUntil(async () => (await waitingRows()).length > 0, { message: 'the waiting row saying why' })
    expect((await waitingRows()).map((row) => row.state)).not.toContain('dead')
    sim.sendPrivate(beta.people.zoe.id, betaClient, { text: 'written while the token was revoked' })
    // The waiting row would next be tried in a minute: the new token makes it due at once.
    await s.database.db
      .update(outbox)
      .set({ nextAttemptAt: sql`CURRENT_TIMESTAMP(3) + INTERVAL 60 SECOND` })
      .where(and(eq(outbox.state, 'pending'), like(outbox.lastError, '%waiting for a new bot token%')))
    reloadWithClientToken(s, 1, fresh)
    await waitForTopicMessage(h, beta.groups.cs.id, topics.beta, 'written while the token was revoked')
    await sim.waitFor(() => sim.privateMessages(beta.people.zoe.id, betaClient).some((m) => m.text?.includes('answered while the token was revoked')), {
      message: 'the answer at the client once the token is back',
      timeoutMs: 30_000,
    })
    await pollUntil(async () => (await failingGauge(s, 'beta', betaClient)()) === 0, { message: 'the beta client bot healthy again' })
    expect((await readiness(s)).status).toBe(200)
  }, 60_000)
})
