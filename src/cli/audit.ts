import type { Database } from '../db/client.js'
import { auditEventsIn, formatAuditExport } from '../domain/audit/export.js'
import { parseBound } from '../domain/reports/period.js'
import { optionOf } from './cli-options.js'
import { requireProjectId } from './project-option.js'
import { runWithDatabase } from './run-cli.js'

const usage = 'usage: npm run audit -- export --project <key> --from <YYYY-MM-DD|ISO time> --to <YYYY-MM-DD|ISO time> [--format csv|jsonl]'

/**
 * `npm run audit -- export`: a project's audit events in a period, for compliance, on stdout as
 * CSV (default) or JSON lines. A date `--to` includes that whole day (UTC).
 */
async function auditCli(db: Database, argv: string[]): Promise<number> {
  const projectKey = optionOf(argv, 'project')
  const from = parseBound(optionOf(argv, 'from'), 'from')
  const to = parseBound(optionOf(argv, 'to'), 'to')
  const format = optionOf(argv, 'format') ?? 'csv'
  if (argv[0] !== 'export' || !projectKey || !from || !to || (format !== 'csv' && format !== 'jsonl')) {
    console.error(usage)
    return 2
  }
  const projectId = await requireProjectId(db, projectKey)
  if (projectId === undefined) return 2
  const rows = await auditEventsIn(db, projectId, from, to)
  process.stdout.write(formatAuditExport(projectKey, rows, format))
  console.error(`${rows.length} audit event(s) of ${projectKey} from ${from.toISOString()} to ${to.toISOString()}.`)
  return 0
}

runWithDatabase(auditCli)
