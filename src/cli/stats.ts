import type { Database } from '../db/client.js'
import { parseBound } from '../domain/reports/period.js'
import { projectStats } from '../domain/reports/stats.js'
import { statsCsv, statsText } from '../domain/reports/stats-format.js'
import { optionOf } from './cli-options.js'
import { requireProjectId } from './project-option.js'
import { runWhenMain, withDatabase, writeLine, type CliIo } from './run-cli.js'

const usage = 'usage: npm run stats -- --project <key> --from <YYYY-MM-DD|ISO time> --to <YYYY-MM-DD|ISO time> [--format text|csv]'

/** `npm run stats`: a project's report for a period on stdout, as text (default) or CSV. A date `--to` includes that whole day (UTC). */
async function statsCommand(db: Database, argv: string[], io: CliIo): Promise<number> {
  const projectKey = optionOf(argv, 'project')
  const [fromArg, toArg] = [optionOf(argv, 'from'), optionOf(argv, 'to')]
  const from = parseBound(fromArg, 'from')
  const to = parseBound(toArg, 'to')
  const format = optionOf(argv, 'format') ?? 'text'
  if (!projectKey || !from || !to || from >= to || (format !== 'text' && format !== 'csv')) {
    writeLine(io.stderr, usage)
    return 2
  }
  const projectId = await requireProjectId(db, projectKey, io)
  if (projectId === undefined) return 2
  const report = await projectStats(db, projectId, from, to)
  io.stdout.write(format === 'csv' ? statsCsv(report) : `${statsText(report, `${fromArg} to ${toArg}`)}\n`)
  return 0
}

export const statsCli = withDatabase(statsCommand)
runWhenMain(import.meta.url, statsCli)
