import type { Database } from '../db/client.js'
import { auditEventsIn, formatAuditExport } from '../domain/audit/export.js'
import { parseBound } from '../domain/reports/period.js'
import { optionOf } from './cli-options.js'
import { requireProjectId } from './project-option.js'
import { runWhenMain, withDatabase, writeLine, type CliIo } from './run-cli.js'

const usage = 'usage: npm run audit -- export --project <key> --from <YYYY-MM-DD|ISO time> --to <YYYY-MM-DD|ISO time> [--format csv|jsonl]'

/**
 * `npm run audit -- export`: a project's audit events in a period, for compliance, on stdout as
 * CSV (default) or JSON lines. A date `--to` includes that whole day (UTC).
 */
async function auditCommand(db: Database, argv: string[], io: CliIo): Promise<number> {
  const projectKey = optionOf(argv, 'project')
  const from = parseBound(optionOf(argv, 'from'), 'from')
  const to = parseBound(optionOf(argv, 'to'), 'to')
  const format = optionOf(argv, 'format') ?? 'csv'
  if (argv[0] !== 'export' || !projectKey || !from || !to || (format !== 'csv' && format !== 'jsonl')) {
    writeLine(io.stderr, usage)
    return 2
  }
  const projectId = await requireProjectId(db, projectKey, io)
  if (projectId === undefined) return 2
  const rows = await auditEventsIn(db, projectId, from, to)
  io.stdout.write(formatAuditExport(projectKey, rows, format))
  writeLine(io.stderr, `${rows.length} audit event(s) of ${projectKey} from ${from.toISOString()} to ${to.toISOString()}.`)
  return 0
}

export const auditCli = withDatabase(auditCommand)
runWhenMain(import.meta.url, auditCli)
