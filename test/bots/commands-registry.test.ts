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
      'tr',
      ...PROFILE,
      'find',
      'c',
      'ask',
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
      'tr',
      ...PROFILE,
      'find',
      'c',
      'ask',
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
      'tr',
      ...PROFILE,
      'c',
      'ask',
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
      'tr',
      ...PROFILE,
      'c',
      'ask',
      'canned',
      'risk',
      'summary',
      ...OWNERS.filter((c) => c !== 'who'),
      'help',
    ])
    expect(renderHelp(staffCommands, 'cr').join('\n')).not.toContain('/reassign')
  })

  it('answers /help in pages Telegram accepts (4096 characters each), every command of the group on one of them, however many commands there are', () => {
    const many = [...staffCommands, ...staffCommands.map((c) => ({ ...c, name: `${c.name}_again`, usage: `/${c.name}_again ${'x'.repeat(80)}` }))]
    for (const commands of [staffCommands, many]) {
      const pages = renderHelp(commands, 'cs')
      for (const page of pages) expect(page.length).toBeLessThanOrEqual(4096)
      const shown = pages.join('\n')
      for (const c of commands.filter((c) => c.groups.includes('cs'))) expect(shown).toContain(c.usage.replace(/`/g, '').replace(/\*\*/g, ''))
    }
    expect(renderHelp(many, 'cs').length).toBeGreaterThan(1)
  })
})
