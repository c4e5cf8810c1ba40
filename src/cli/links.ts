import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config/index.js'
import type { Database } from '../db/client.js'
import { createLink, disableLink, linkUrl, parseLinkParams } from '../domain/links/links.js'
import { linkStats, renderLinkStats } from '../domain/links/stats.js'
import { LINK_STATS_DAYS } from '../domain/links/staff.js'
import { BUILT_IN_TEXTS } from '../texts/index.js'
import { NO_PROJECT, projectIdOf } from './project-option.js'
import { configPathOf, fail, runWhenMain, withDatabase, writeLine, type CliIo } from './run-cli.js'

const usage = [
  'usage: npm run links -- create --project <key> --name <name> [--utm key=value …]   (reads links.publicUrl from TOPICDESK_CONFIG or config/topicdesk.yaml)',
  '       npm run links -- stats --project <key> [--days <n>]',
  '       npm run links -- disable --project <key> --code <code>',
].join('\n')

/** `npm run links -- create|stats|disable`: a project's diversion links (see domain/links), against DATABASE_URL. */
async function linksCommand(db: Database, argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { project: { type: 'string' }, name: { type: 'string' }, utm: { type: 'string', multiple: true }, days: { type: 'string' }, code: { type: 'string' } },
  })
  const [command] = positionals
  if (!values.project || positionals.length !== 1) return fail(io, usage, 2)
  const projectId = await projectIdOf(db, values.project)
  if (projectId === null) return fail(io, NO_PROJECT(values.project), 2)
  const scope = { projectId }
  if (command === 'create' && values.name?.trim()) {
    const { params, bad } = parseLinkParams(values.utm ?? [])
    if (bad !== undefined) return fail(io, `--utm ${bad}: write it as key=value (a key of letters, digits, _ or -)`, 2)
    const publicUrl = configuredPublicUrl(io.env)
    if (publicUrl instanceof Error) return fail(io, publicUrl.message, 2)
    const link = await createLink(db, scope, { name: values.name, params, createdBy: null })
    writeLine(io.stdout, `${linkUrl(publicUrl, link.code)}\n\nLink "${link.name}" (${link.code}) created in project ${values.project}.`)
    return 0
  }
  if (command === 'stats') {
    const days = values.days === undefined ? LINK_STATS_DAYS : Number(values.days)
    if (!Number.isInteger(days) || days < 1) return fail(io, '--days takes a whole number of days (1 or more)', 2)
    writeLine(io.stdout, renderLinkStats(BUILT_IN_TEXTS, await linkStats(db, scope, { days, now: new Date() }), days))
    return 0
  }
  if (command === 'disable' && values.code) {
    const outcome = await disableLink(db, scope, BUILT_IN_TEXTS, values.code)
    return outcome.ok ? (writeLine(io.stdout, outcome.text), 0) : fail(io, outcome.reason, 1)
  }
  return fail(io, usage, 2)
}

/** The public base URL from the service's config file, or why there is none. */
function configuredPublicUrl(env: NodeJS.ProcessEnv): string | Error {
  const path = configPathOf(env)
  try {
    const publicUrl = loadConfig(path, env).links.publicUrl
    return publicUrl ?? new Error(`links create needs the public address visitors open: set links.publicUrl in ${path} (links read <publicUrl>/l/<code>).`)
  } catch (error) {
    if (error instanceof ConfigError) return new Error(`links create reads links.publicUrl from the config: ${error.message}`)
    throw error
  }
}

export const linksCli = withDatabase(linksCommand)
runWhenMain(import.meta.url, linksCli)
