import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Message } from 'grammy/types'
import { eq } from 'drizzle-orm'
import { inProject } from '../db/project-scope.js'
import { ConfigError, loadConfig, type ProjectConfig } from '../config/index.js'
import type { Database } from '../db/client.js'
import { broadcasts } from '../db/schema/index.js'
import { cancelBroadcast, countBroadcastRows, prepareBroadcast, startBroadcast } from '../domain/broadcasts/broadcasts.js'
import { parseSegment, segmentLabel, segmentRecipients } from '../domain/broadcasts/segment.js'
import { systemClock } from '../domain/clock.js'
import { textsOf, type ProjectRuntime } from '../domain/project-runtime.js'
import { Roster } from '../domain/roster.js'
import { STAFF_ROLES } from '../domain/roles.js'
import { NO_PROJECT, projectIdOf } from './project-option.js'
import { configPathOf, fail, runWhenMain, withDatabase, writeLine, type CliIo } from './run-cli.js'

const usage = [
  'usage: npm run broadcast -- --project <key> --segment <all|tag:…|team:…|link:…|lang:…> --message <file> [--yes]',
  '       npm run broadcast -- --project <key> --status <id>',
  '       npm run broadcast -- --project <key> --cancel <id>',
  '(reads the project from TOPICDESK_CONFIG or config/topicdesk.yaml; without --yes, only counts; the running service sends)',
].join('\n')

/**
 * `npm run broadcast`: the command line's `/broadcast`. Counts a segment, and with `--yes` queues
 * the file's text to it in the bulk class; the running service's workers send it and count it
 * (`--status`); `--cancel` stops what is unsent.
 */
async function broadcastCommand(db: Database, argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      project: { type: 'string' },
      segment: { type: 'string' },
      message: { type: 'string' },
      yes: { type: 'boolean' },
      status: { type: 'string' },
      cancel: { type: 'string' },
    },
  })
  if (!values.project) return fail(io, usage, 2)
  const projectId = await projectIdOf(db, values.project)
  if (projectId === null) return fail(io, NO_PROJECT(values.project), 2)
  const deps = { db, clock: systemClock, notify: () => undefined }
  const project = runtimeOf(values.project, projectId, io.env)
  if (project instanceof Error) return fail(io, project.message, 2)
  if (values.status !== undefined || values.cancel !== undefined) {
    const id = Number(values.status ?? values.cancel)
    const [row] = await db
      .select()
      .from(broadcasts)
      .where(inProject(broadcasts, projectId, eq(broadcasts.id, id)))
    if (!row) return fail(io, textsOf(project).staff('broadcastNotFound'), 1)
    if (values.cancel !== undefined) {
      const decision = await cancelBroadcast(deps, project, id, null)
      if (!decision.ok) return fail(io, decision.reason, 1)
    }
    const counts = await countBroadcastRows(db, id)
    const [now] = await db.select({ state: broadcasts.state }).from(broadcasts).where(eq(broadcasts.id, id))
    const state = now?.state === 'confirming' ? 'sending' : (now?.state ?? 'sending')
    writeLine(
      io.stdout,
      textsOf(project).staff('broadcastProgress', { segment: row.segment, total: row.total, ...counts, state: counts.waiting === 0 && state === 'sending' ? 'done' : state }),
    )
    return 0
  }
  if (!values.segment || !values.message) return fail(io, usage, 2)
  const text = readFileSync(values.message, 'utf8').trim()
  if (!text) return fail(io, `${values.message} is empty: nothing to send.`, 2)
  const parsed = parseSegment(project, values.segment)
  if (!parsed.ok) return fail(io, parsed.reason, 2)
  if (!values.yes) {
    const recipients = (await segmentRecipients(db, project, parsed.segment)).length
    writeLine(io.stdout, `${recipients} client(s) in ${segmentLabel(parsed.segment)}. Run again with --yes to send.`)
    return 0
  }
  const clientBotId = project.bots.client[0]!.id
  const source = { message_id: 0, date: Math.floor(Date.now() / 1000), chat: { id: clientBotId, type: 'private', first_name: 'broadcast' }, text } as Message
  const prepared = await prepareBroadcast(db, project, { authorUserId: null, segment: values.segment, source, sourceBotId: clientBotId, paid: project.paid })
  if (!prepared.ok) return fail(io, prepared.reason, 1)
  const started = await startBroadcast(deps, project, prepared.broadcastId, null)
  if (!started.ok) return fail(io, started.reason, 1)
  writeLine(io.stdout, `Broadcast #${prepared.broadcastId} to ${prepared.segment}: ${started.text} Follow it with --status ${prepared.broadcastId}.`)
  return 0
}

/** The project as the domain needs it here: its client bot (its id is the token's first part) and its teams. */
function runtimeOf(key: string, projectId: number, env: NodeJS.ProcessEnv): (ProjectRuntime & { paid: boolean }) | Error {
  const path = configPathOf(env)
  try {
    const config = loadConfig(path, env)
    const project: ProjectConfig | undefined = config.projects.find((p) => p.key === key)
    if (!project) return new Error(`No project "${key}" in ${path}.`)
    const clientBotId = Number(project.bots.client.split(':')[0])
    return {
      id: projectId,
      config: project,
      bots: { client: [{ id: clientBotId, role: 'client', username: '' }] },
      roles: STAFF_ROLES,
      roster: new Roster(project.staff),
      albumWindowMs: 0,
      paid: config.delivery.allowPaidBroadcast,
    }
  } catch (error) {
    if (error instanceof ConfigError) return new Error(`broadcast reads the project from the config: ${error.message}`)
    throw error
  }
}

export const broadcastCli = withDatabase(broadcastCommand)
runWhenMain(import.meta.url, broadcastCli)
