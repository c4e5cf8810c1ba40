import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { staffCommands } from '../../src/bots/staff/commands/index.js'
import { commandMenu, renderHelp } from '../../src/bots/staff/commands/render.js'
import { withCommandTable } from '../../src/cli/docs-commands.js'

/** The customer-profile commands, offered in every staff group. */
const PROFILE = ['tag', 'untag', 'tags', 'note', 'notes']
/** Presence, /who, /mine and /transfer, offered in the CS and CR groups. */
const OWNERS = ['online', 'away', 'offline', 'who', 'mine', 'transfer']

describe('the staff command registry', () => {
  it('is what the README "Staff commands" table shows (run npm run docs:commands after a change)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    expect(withCommandTable(readme)).toBe(readme)
  })

  it('gives every command a menu line Telegram accepts, and leaves lead-only commands out of everyone’s menu', () => {
    for (const c of staffCommands) {
      expect(c.name).toMatch(/^[a-z0-9_]{1,32}$/)
      expect(c.menu.length).toBeGreaterThan(0)
      expect(c.menu.length).toBeLessThanOrEqual(256)
    }
    expect(commandMenu(staffCommands, 'cs', 'everyone').map((c) => c.command)).toEqual([
      'delete',
      'history',
      'resolve',
      'treatment',
      ...PROFILE,
      'find',
      'c',
      'canned',
      'risk',
      'summary',
      ...OWNERS,
      'help',
    ])
    expect(commandMenu(staffCommands, 'cs', 'lead').map((c) => c.command)).toEqual([
      'delete',
      'history',
      'resolve',
      'reassign',
      'treatment',
      'ban',
      'unban',
      ...PROFILE,
      'find',
      'c',
      'canned',
      'risk',
      'summary',
      'kb',
      'failed',
      'audit',
      'stats',
      'broadcast',
      'queue',
      'link',
      'links',
      'reload',
      ...OWNERS,
      'help',
    ])
    expect(commandMenu(staffCommands, 'cr', 'everyone').map((c) => c.command)).toEqual([
      'delete',
      'history',
      'resolve',
      'treatment',
      ...PROFILE,
      'c',
      'canned',
      'risk',
      'summary',
      ...OWNERS,
      'help',
    ])
    // Treatment has no team of its own to list with /who.
    expect(commandMenu(staffCommands, 'treatment', 'everyone').map((c) => c.command)).toEqual([
      'delete',
      'history',
      'resolve',
      'treatment',
      ...PROFILE,
      'c',
      'canned',
      'risk',
      'summary',
      ...OWNERS.filter((c) => c !== 'who'),
      'help',
    ])
    expect(renderHelp(staffCommands, 'cr')).not.toContain('/reassign')
  })
})
