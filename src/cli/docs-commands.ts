import { readFileSync, writeFileSync } from 'node:fs'
import { staffCommands } from '../bots/staff/commands/index.js'
import { renderCommandTable } from '../bots/staff/commands/render.js'
import { processIo, runWhenMain, writeLine, type CliIo } from './run-cli.js'

/** `npm run docs:commands`: rewrites the README's staff command table from the command registry. */
export const START = '<!-- staff-commands:start (npm run docs:commands) -->'
export const END = '<!-- staff-commands:end -->'

/** The README with the text between the markers replaced by the registry's table. */
export function withCommandTable(readme: string): string {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} markers`)
  return `${readme.slice(0, start + START.length)}\n${renderCommandTable(staffCommands)}\n${readme.slice(end)}`
}

/** Rewrites the README's table when the registry changed it. */
function docsCommandsCli(_argv: string[], io: CliIo = processIo): Promise<number> {
  const path = new URL('../../README.md', import.meta.url)
  const readme = readFileSync(path, 'utf8')
  const updated = withCommandTable(readme)
  if (updated !== readme) writeFileSync(path, updated)
  writeLine(io.stdout, updated === readme ? 'README.md: the staff command table is up to date' : 'README.md: staff command table rewritten')
  return Promise.resolve(0)
}

runWhenMain(import.meta.url, docsCommandsCli)
