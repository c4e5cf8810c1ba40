import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Api } from 'grammy'
import { sql } from 'drizzle-orm'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { startApp } from '../../src/app.js'
import { createConfig, type Config } from '../../src/config/index.js'
import { createSampleWorld, sampleConfig } from '../../src/demo/sample-world.js'
import type { CheckRow } from '../../src/doctor/check.js'
import { runDoctor } from '../../src/doctor/run-doctor.js'
import { createTestDatabase } from '../support/database.js'
import { freePort } from '../support/free-port.js'
import { useSimulatorAndDatabase } from '../support/suite.js'

const failed = (rows: CheckRow[]) => rows.filter((r) => !r.ok)
const row = (rows: CheckRow[], area: CheckRow['area'], subject: RegExp) => {
  const found = rows.filter((r) => r.area === area && subject.test(r.subject))
  expect(found, `one ${area} row for ${subject}: ${JSON.stringify(rows, null, 1)}`).toHaveLength(1)
  return found[0]!
}

/** `npm run doctor -- file`: its exit code and what it printed. */
const doctorCli = (file: string) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/doctor.ts', file], { env: { ...process.env, DATABASE_URL: '' } }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => error,
  )

describe('doctor', () => {
  const { sim, database } = useSimulatorAndDatabase()

  it('passes every check of a well set-up world', async () => {
    const world = createSampleWorld(sim, { keySuffix: '1' })
    const rows = await runDoctor(createConfig(sampleConfig(sim, world, database.url)))
    expect(failed(rows)).toEqual([])
    // Every bot, group, right, privacy, webhook and staff member was looked at.
    expect(new Set(rows.map((r) => r.area))).toEqual(new Set(['cron', 'database', 'bot', 'webhook', 'group', 'rights', 'privacy', 'staff']))
    expect(row(rows, 'staff', /^Carol .* · cr$/).detail).toContain("'CR North'")
  })

  it('checks every node of database.urls: the first that answers fully, a node down as its own ✗', async () => {
    const world = createSampleWorld(sim, { keySuffix: '5' })
    const down = new URL(database.url)
    down.port = String(await freePort())
    const config = (urls: string[]) => createConfig({ ...sampleConfig(sim, world, database.url), database: { urls } })
    const rows = (await runDoctor(config([down.toString(), database.url]))).filter((r) => r.area === 'database')
    expect(rows.map((r) => [r.ok, r.subject])).toEqual([
      [false, expect.stringContaining(`:${down.port}/`)],
      [true, expect.stringContaining(`:${new URL(database.url).port}/`)],
      [true, 'server'],
      [true, 'migrations'],
    ])
    expect(rows[0]!.subject).toContain(':***@')
    // The spare's turn: the first node answers, the one after it is down.
    const spareDown = (await runDoctor(config([database.url, down.toString()]))).filter((r) => r.area === 'database' && !r.ok)
    expect(spareDown).toEqual([expect.objectContaining({ detail: expect.stringContaining('cannot connect'), fix: expect.stringContaining('fail over') })])
  })

  it('asks for the Ban users right where enforceMembership removes strangers', async () => {
    const world = createSampleWorld(sim, { keySuffix: '4' })
    // The sample bots have Manage topics, Delete messages and Pin messages, not Ban users.
    const rows = await runDoctor(createConfig(sampleConfig(sim, world, database.url, { projects: [{ ...world.project, enforceMembership: true }] })))
    const cs = row(rows, 'rights', /@acme4_cs_bot in 'Acme CS'/)
    expect(cs).toMatchObject({ ok: false, detail: 'admin without Ban users', fix: "give @acme4_cs_bot the right(s) Ban users in 'Acme CS'" })
    sim.promote(world.groups.cs.id, world.bots.cs.id, { can_manage_topics: true, can_delete_messages: true, can_pin_messages: true, can_restrict_members: true })
    expect(
      row(
        await runDoctor(createConfig(sampleConfig(sim, world, database.url, { projects: [{ ...world.project, enforceMembership: true }] }))),
        'rights',
        /@acme4_cs_bot in 'Acme CS'/,
      ).ok,
    ).toBe(true)
  })

  it('gives each broken thing its own ✗ row with a fix, and exits non-zero', async () => {
    const world = createSampleWorld(sim, { keySuffix: '2' })
    // CR South without topics; the Treatment bot a plain member (privacy mode on); a second CS bot
    // admin without "Manage topics"; a rostered staff member who never joined Treatment.
    const plainGroup = sim.createForumGroup({ title: 'Acme CR South (no topics)', isForum: false, members: [world.people.dave.id], admins: [{ id: world.bots.cr.id }] })
    const looseTreatment = sim.createForumGroup({ title: 'Acme Treatment 2', members: [world.bots.treatment.id, world.people.tess.id] })
    const cs2 = sim.createBot({ token: '7102:cs-two-token', username: 'acme2_cs2_bot' })
    sim.promote(world.groups.cs.id, cs2.id, { can_delete_messages: true, can_pin_messages: true })
    const nina = sim.createUser({ firstName: 'Nina' })
    const project = {
      ...world.project,
      bots: { ...world.project.bots, cs: [world.bots.cs.token, cs2.token] },
      groups: {
        ...world.project.groups,
        cr: [world.project.groups.cr[0]!, { key: 'south', title: 'CR South', chatId: plainGroup.id }],
        treatment: { chatId: looseTreatment.id, title: 'Treatment 2' },
      },
      staff: [...world.project.staff, { id: nina.id, name: 'Nina', roles: ['treatment' as const] }],
    }
    const hook = `http://127.0.0.1:${await freePort()}`
    const config: Config = createConfig({
      ...sampleConfig(sim, world, database.url),
      telegram: { apiRoot: sim.url, mode: 'webhook', webhook: { publicUrl: hook, secret: 'a-secret-of-16-chars' } },
      projects: [project],
    })
    // A cron schedule that the config file got wrong.
    ;(config.cron as Record<string, string>).recordsSync = 'every quarter hour'
    // A pending migration: the newest one is forgotten.
    await database.db.execute(sql`DELETE FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1`)
    // A webhook that Telegram cannot reach: the client bot's last error.
    await new Api(world.bots.client.token, { apiRoot: sim.url }).setWebhook(`${hook}/telegram/${world.bots.client.id}`)
    sim.sendPrivate(world.people.zoe.id, world.bots.client.id, { text: 'hello?' })
    await sim.waitFor(() => {
      return sim.webhookError(world.bots.client.id) !== undefined
    })

    const rows = await runDoctor(config)
    const expectations: Array<[CheckRow['area'], RegExp, RegExp, RegExp]> = [
      ['group', /CR South/, /topics are off/, /turn on Topics/],
      ['rights', /@acme2_treatment_bot in 'Treatment 2'/, /not an administrator/, /make @acme2_treatment_bot an admin of 'Treatment 2' with Manage topics/],
      ['privacy', /@acme2_treatment_bot in 'Treatment 2'/, /privacy mode on/, /setprivacy/],
      ['rights', /@acme2_cs2_bot in 'Acme CS'/, /without Manage topics/, /give @acme2_cs2_bot the right\(s\) Manage topics/],
      ['webhook', /@acme2_bot$/, /Connection failed/, /publicUrl/],
      ['staff', /^Nina .* · treatment$/, /not a member/, /add Nina to 'Treatment 2'/],
      ['database', /migrations/, /1 pending/, /npm run migrate/],
      ['cron', /cron\.recordsSync/, /not a cron expression/, /fields/],
    ]
    for (const [area, subject, detail, fix] of expectations) {
      const found = row(rows, area, subject)
      expect(found.ok, `${area} ${subject}`).toBe(false)
      expect(found.detail).toMatch(detail)
      expect(found.fix).toMatch(fix)
    }
    // What is fine stays fine.
    expect(row(rows, 'rights', /@acme2_cs_bot in 'Acme CS'/).ok).toBe(true)
    expect(row(rows, 'staff', /^Tess .* · treatment$/).ok).toBe(true)
    expect(row(rows, 'cron', /cron\.reassignments/).ok).toBe(true)

    // The command prints the table and exits 1.
    const file = join(tmpdir(), `doctor-${process.pid}.json`)
    const onFile = {
      ...config,
      cron: { ...config.cron, recordsSync: '*/15 * * * *' },
      projects: [{ ...project, groups: { ...project.groups, cs: { chatId: project.groups.cs.chatId, title: 'Acme CS' } } }],
    }
    writeFileSync(file, JSON.stringify(onFile))
    const run = await doctorCli(file)
    if (process.env.SHOW_DOCTOR) console.log(run.stdout)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/✗ group +'CR South'/)
    expect(run.stdout).toMatch(/checks failed/)
    // A config file the service would refuse: the doctor says why, and checks nothing else.
    writeFileSync(file, JSON.stringify({ ...onFile, cron: { ...onFile.cron, recordsSync: 'every quarter hour' } }))
    const refused = await doctorCli(file)
    expect(refused.code).toBe(1)
    expect(refused.stdout).toMatch(/✗ config[\s\S]*cron\.recordsSync/)
  })

  it('runs at start-up and logs each ✗ as a warning, while the service starts all the same', async () => {
    const world = createSampleWorld(sim, { keySuffix: '3' })
    const demoted = sim.createForumGroup({ title: 'Treatment 3', members: [world.bots.treatment.id, world.people.tess.id] })
    const project = { ...world.project, groups: { ...world.project.groups, treatment: { chatId: demoted.id, title: 'Treatment 3' } } }
    const warnings: string[] = []
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) })
    const own = await createTestDatabase()
    const app = await startApp(createConfig({ ...sampleConfig(sim, world, own.url), projects: [project] }), logger, { migrate: false })
    try {
      await sim.waitFor(() => warnings.some((w) => w.startsWith('doctor: rights @acme3_treatment_bot')), { message: `warnings: ${warnings.join(' | ')}` })
      expect(warnings.filter((w) => w.startsWith('doctor:'))).toEqual([
        expect.stringMatching(/^doctor: rights @acme3_treatment_bot in 'Treatment 3': member, not an administrator → make @acme3_treatment_bot an admin/),
        expect.stringMatching(/^doctor: privacy @acme3_treatment_bot in 'Treatment 3'/),
      ])
    } finally {
      await app.stop()
      await own.close()
    }
  })
})
