/* eslint-disable @typescript-eslint/no-explicit-any -- these tests add keys at arbitrary paths of a loose copy */
/* oxlint-disable typescript/no-unsafe-member-access -- the same */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, createConfig } from '../../src/config/index.js'
import { configSchema } from '../../src/config/schema.js'
import { looseObjectPaths } from '../../src/config/strict-keys.js'

const minimal = {
  database: { url: 'mysql://u:p@127.0.0.1:3306/db' },
  projects: [
    {
      key: 'acme',
      name: 'Acme',
      bots: { client: '1:a', cs: '2:b', cr: '3:c' },
      groups: { cs: { chatId: -1001 }, cr: [{ key: 'north', title: 'North', chatId: -1002 }] },
    },
  ],
  agents: [{ id: 7, name: 'Alice', projects: { acme: { roles: ['cr'], teams: ['north'] } } }],
}

function errorOf(input: unknown): string {
  try {
    createConfig(input)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('the config was accepted')
}

describe('config keys', () => {
  it('refuses a misspelled top-level key and names the nearest known one', () => {
    expect(errorOf({ ...minimal, delivry: { workersPerLane: 4 } })).toContain('delivry: unknown key; did you mean "delivery"?')
  })

  it('reads delivery.workersPerLane, the old name of workersPerClass, and lets the new name win', () => {
    expect(createConfig(minimal).delivery.workersPerClass).toBe(2)
    expect(createConfig({ ...minimal, delivery: { workersPerLane: 4 } }).delivery.workersPerClass).toBe(4)
    expect(createConfig({ ...minimal, delivery: { workersPerLane: 4, workersPerClass: 3 } }).delivery.workersPerClass).toBe(3)
    expect(errorOf({ ...minimal, delivery: { workersPerClas: 3 } })).toContain('did you mean "workersPerClass"?')
  })

  it('refuses misspelled keys at every depth, through lists, unions, records and optional sections', () => {
    const bad = structuredClone(minimal) as Record<string, any>
    bad.projects[0].grops = bad.projects[0].groups
    bad.projects[0].groups.cr[0].tilte = 'x'
    bad.projects[0].sla = { businessHours: { timeZone: 'UTC', form: '08:00' } }
    bad.http = { prot: 9091 }
    bad.delivery = { budgets: { groupPerMinut: 10 } }
    bad.agents[0].projects.acme.team = ['north']
    const message = errorOf(bad)
    for (const line of [
      'projects.0.grops: unknown key; did you mean "groups"?',
      'projects.0.groups.cr.0.tilte: unknown key; did you mean "title"?',
      'projects.0.sla.businessHours.form: unknown key; did you mean "from"?',
      'http.prot: unknown key; did you mean "port"?',
      'delivery.budgets.groupPerMinut: unknown key; did you mean "groupPerMinute"?',
      'agents.0.projects.acme.team: unknown key; did you mean "teams"?',
    ])
      expect(message).toContain(line)
  })

  it('lists the known keys when none is close', () => {
    expect(errorOf({ ...minimal, log: { verbosity: 'debug' } })).toContain('log.verbosity: unknown key; known keys here: level')
  })

  it('has no object in the schema that would drop an unknown key silently', () => {
    expect(looseObjectPaths(configSchema)).toEqual([])
  })

  it('accepts a parsed config again (the runtime test writes one to disk)', () => {
    const config = createConfig(minimal)
    expect(createConfig(JSON.parse(JSON.stringify(config)))).toEqual(config)
  })

  it('stops doctor with the path and the suggestion', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topicdesk-strict-'))
    const file = join(dir, 'config.json')
    writeFileSync(file, JSON.stringify({ ...minimal, delivry: {} }))
    let output = ''
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/doctor.ts', file], { encoding: 'utf8', stdio: 'pipe' })
    } catch (error) {
      output = String((error as { stdout: string }).stdout)
    }
    expect(output).toContain('delivry: unknown key; did you mean "delivery"?')
  })
})
