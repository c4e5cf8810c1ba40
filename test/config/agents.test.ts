import { describe, expect, it } from 'vitest'
import { ConfigError, createConfig } from '../../src/config/index.js'
import type { ConfigInput } from '../../src/config/schema.js'

const project = (key: string, n: number, extra: Partial<ConfigInput['projects'][number]> = {}) => ({
  key,
  name: key,
  bots: { client: `${n}1:a`, cs: `${n}2:b`, cr: `${n}3:c` },
  groups: { cs: { chatId: -n * 10 - 1 }, cr: [{ key: 'north', title: 'North', chatId: -n * 10 - 2 }] },
  ...extra,
})
const base = (input: Partial<ConfigInput>): ConfigInput => ({ database: { url: 'mysql://u:p@127.0.0.1:3306/db' }, projects: [project('acme', 1), project('beta', 2)], ...input })
const rosterOf = (config: ReturnType<typeof createConfig>, key: string) => config.projects.find((p) => p.key === key)!.staff

describe('agents and project scope', () => {
  it('keeps a config without agents as it was: the staff list is the roster, designated by default', () => {
    const config = createConfig(base({ projects: [project('acme', 1, { staff: [{ id: 5, name: 'Alice', roles: ['cs_lead'] }] })] }))
    expect(config.projects[0]!.scope).toBe('designated')
    expect(config.agents).toEqual([])
    expect(rosterOf(config, 'acme')).toEqual([{ id: 5, name: 'Alice', roles: ['cs_lead'], teams: [] }])
  })

  it('merges agents into one roster per project: listed projects, scope all, and the staff list', () => {
    const config = createConfig(
      base({
        projects: [project('acme', 1, { staff: [{ id: 5, name: 'Alice', roles: ['cs'] }] }), project('beta', 2, { scope: 'all' }), project('gamma', 3)],
        agents: [
          { id: 5, name: 'Alice B.', languages: ['en', 'nl'], projects: { acme: { roles: ['cs_lead', 'cr'], teams: ['north'] } } },
          { id: 6, name: 'Carol', roles: ['cr'], projects: { gamma: { roles: ['treatment'] } } },
        ],
      }),
    )
    expect(rosterOf(config, 'acme')).toEqual([{ id: 5, name: 'Alice B.', roles: ['cs', 'cs_lead', 'cr'], teams: ['north'], languages: ['en', 'nl'] }])
    // Scope all: every agent, with their default roles where they do not list the project.
    expect(rosterOf(config, 'beta')).toEqual([
      { id: 5, name: 'Alice B.', roles: ['cs'], teams: [], languages: ['en', 'nl'] },
      { id: 6, name: 'Carol', roles: ['cr'], teams: [], languages: undefined },
    ])
    // Designated: only who lists it.
    expect(rosterOf(config, 'gamma')).toEqual([{ id: 6, name: 'Carol', roles: ['treatment'], teams: [], languages: undefined }])
  })

  it('refuses duplicate agent ids, unknown project keys and unknown CR teams, naming each', () => {
    const input = base({
      projects: [project('acme', 1, { staff: [{ id: 9, name: 'Dave', roles: ['cr'], teams: ['west'] }] })],
      agents: [
        { id: 5, name: 'Alice', projects: { acme: { roles: ['cr'], teams: ['north', 'south'] } } },
        { id: 5, name: 'Alice again', projects: { acmee: { roles: ['cs'] } } },
      ],
    })
    expect(() => createConfig(input)).toThrow(ConfigError)
    const message = (() => {
      try {
        createConfig(input)
      } catch (error) {
        return (error as Error).message
      }
    })()
    expect(message).toContain('agents.1.id: agent id 5 is already used by agents.0')
    expect(message).toContain('agents.1.projects.acmee: unknown project "acmee" (known: acme)')
    expect(message).toContain('agents.0.projects.acme.teams.1: unknown CR team "south" in project "acme" (known: north)')
    expect(message).toContain('projects.0.staff.0.teams.0: unknown CR team "west" in project "acme" (known: north)')
  })

  it('refuses a bad scope', () => {
    expect(() => createConfig(base({ projects: [project('acme', 1, { scope: 'everyone' as 'all' })] }))).toThrow(/projects\.0\.scope/)
  })
})
