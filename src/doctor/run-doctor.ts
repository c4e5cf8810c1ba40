import cron from 'node-cron'
import type { Config } from '../config/index.js'
import type { Logger } from '../logger.js'
import { fail, pass, type CheckRow } from './check.js'
import { checkDatabases } from './database-checks.js'
import { checkMembership } from './membership-checks.js'
import { checkTelegram } from './telegram-checks.js'
import { checkAssistant } from './assistant-checks.js'

/** Every check of a deployment: the config's cron schedules, the database, each bot, group and staff member on Telegram, and the assistant's endpoints. */
export async function runDoctor(config: Config): Promise<CheckRow[]> {
  const database = await checkDatabases(config.database.urls)
  // The membership list needs the database (who was seen in the groups): only when it answered.
  const reachable = database.some((row) => row.subject === 'server')
  return [...checkCron(config), ...database, ...(await checkTelegram(config)), ...(reachable ? await checkMembership(config) : []), ...(await checkAssistant(config))]
}

export function checkCron(config: Config): CheckRow[] {
  return Object.entries(config.cron).map(([job, schedule]) =>
    cron.validate(String(schedule))
      ? pass('cron', `cron.${job}`, String(schedule))
      : fail('cron', `cron.${job}`, `"${String(schedule)}" is not a cron expression`, 'use five (or six, with seconds) fields, e.g. "*/15 * * * *"'),
  )
}

/** Runs the checks in the background of a starting service and logs each ✗ as a warning (the service still starts). */
export function warnAboutProblems(config: Config, logger: Logger): Promise<void> {
  return runDoctor(config)
    .then((rows) => {
      for (const row of rows) if (!row.ok) logger.warn({ check: row }, `doctor: ${row.area} ${row.subject}: ${row.detail} → ${row.fix}`)
    })
    .catch((error: unknown) => logger.warn({ err: error }, 'doctor: the start-up checks could not run'))
}

/** The report as a plain table: one row per check, ✓ or ✗, and the fix under each ✗. */
export function renderReport(rows: CheckRow[]): string {
  const width = (pick: (r: CheckRow) => string) => Math.min(48, Math.max(...rows.map((r) => pick(r).length), 0))
  const areaWidth = width((r) => r.area)
  const subjectWidth = width((r) => r.subject)
  const lines = rows.map((r) => {
    const line = `${r.ok ? '✓' : '✗'} ${r.area.padEnd(areaWidth)}  ${r.subject.padEnd(subjectWidth)}  ${r.detail}`
    return r.fix ? `${line}\n${' '.repeat(areaWidth + subjectWidth + 6)}→ ${r.fix}` : line
  })
  const failed = rows.filter((r) => !r.ok).length
  lines.push('', failed === 0 ? `all ${rows.length} checks passed` : `${failed} of ${rows.length} checks failed`)
  return lines.join('\n')
}
