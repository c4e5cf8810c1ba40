import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, expect, it } from 'vitest'
import { createConfig } from '../../src/config/index.js'
import { accounts, projects, relayLinks } from '../../src/db/schema/index.js'
import { createSampleWorld, sampleConfig } from '../../src/demo/sample-world.js'
import { startSimulator } from '../../src/simulator/index.js'
import { createTestDatabase } from '../support/database.js'
import { onboard, waitForTopicMessage } from '../support/flows.js'
import type { Harness } from '../support/harness.js'
import { pollUntil } from '../support/poll.js'

/**
 * The image's runtime stage, repeated in a temporary directory (no Docker engine here): the
 * compiled output with production dependencies only, run by plain `node dist/main.js`, relays a
 * client message into the staff topics of the simulator.
 */
const cleanups: Array<() => Promise<void> | void> = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

it('node dist/main.js with production dependencies only relays a message', async () => {
  const repo = process.cwd()
  // As `npm run build` does: a fresh dist/, so no file left from an older build is checked.
  rmSync(join(repo, 'dist'), { recursive: true, force: true })
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repo, stdio: 'inherit' })
  const stage = mkdtempSync(join(tmpdir(), 'topicdesk-runtime-'))
  cleanups.push(() => rmSync(stage, { recursive: true, force: true }))
  for (const path of ['package.json', 'package-lock.json', 'dist', 'migrations']) cpSync(join(repo, path), join(stage, path), { recursive: true })
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: stage, stdio: 'inherit' })
  // Nothing of the dev toolchain is there, nor the simulator or the demo: the service needs none of them.
  expect(readdirSync(join(stage, 'dist'))).not.toContain('simulator')
  expect(readdirSync(join(stage, 'dist'))).not.toContain('demo')
  expect(() => execFileSync('node', ['-e', "import('tsx')"], { cwd: stage, stdio: 'pipe' })).toThrow()

  const sim = await startSimulator()
  cleanups.push(() => sim.close())
  const database = await createTestDatabase()
  cleanups.push(() => database.close())
  const world = createSampleWorld(sim)
  const config = createConfig(sampleConfig(sim, world, database.url, { log: { level: 'info' } }))
  writeFileSync(join(stage, 'config.json'), JSON.stringify(config))
  const service = await startService(stage)

  await pollUntil(async () => (await database.db.select().from(projects)).length > 0, { timeoutMs: 20_000, message: 'the service created its project' })
  const [project] = await database.db.select().from(projects).where(eq(projects.key, world.project.key))
  await database.db
    .insert(accounts)
    .values(world.accounts.map((a) => ({ projectId: project!.id, email: a.email, displayName: a.name, externalId: a.accountId, crTeamHint: a.crTeam, treatment: a.treatment })))
  // The test helpers drive the simulator only; the service is the child process.
  const h = { sim, world, database, projectId: project!.id } as unknown as Harness
  const zoe = await onboard(h, world.people.zoe, 'zoe@example.com', 'north')
  const sent = sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'Hello from the runtime stage' })
  await waitForTopicMessage(h, world.groups.cs.id, zoe.cs, 'Hello from the runtime stage')
  await waitForTopicMessage(h, zoe.crChat, zoe.cr, 'Hello from the runtime stage')
  await pollUntil(async () => (await database.db.select().from(relayLinks)).filter((l) => l.copyMessageId !== null).length >= 2, { message: 'copies recorded' })
  expect(sent.message_id).toBeGreaterThan(0)
  expect(service.output()).toContain('topicdesk started')
}, 240_000)

async function startService(stage: string) {
  let output = ''
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: stage,
    env: { PATH: process.env.PATH, TOPICDESK_CONFIG: join(stage, 'config.json'), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cleanups.push(() => stopService(child))
  await new Promise<void>((resolve, reject) => {
    setTimeout(() => reject(new Error(`node dist/main.js did not start within 60 s:\n${output.slice(-3000)}`)), 60_000).unref()
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('topicdesk started')) resolve()
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`node dist/main.js exited with ${code}:\n${output.slice(-3000)}`)))
  })
  return { child, output: () => output }
}

function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
