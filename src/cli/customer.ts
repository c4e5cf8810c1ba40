import { userInfo } from 'node:os'
import type { Database } from '../db/client.js'
import { exportCustomerData, findCustomerByIdOrEmail, forgetCustomer } from '../domain/personal-data.js'
import { requireProjectId } from './project-option.js'
import { runWhenMain, withDatabase, writeLine, type CliIo } from './run-cli.js'

const usage = 'usage: npm run customer -- export <customer id|email> --project <key> | forget <customer id|email> --project <key>'

/**
 * `npm run customer -- export|forget`: a customer's personal data, as JSON on stdout, or erased
 * (see `forgetCustomer`; the anonymous rows stay). Both are recorded in audit_log with the
 * operating system user who ran them.
 */
async function customerCommand(db: Database, argv: string[], io: CliIo): Promise<number> {
  const [command, who] = argv
  const projectKey = argv.includes('--project') ? argv[argv.indexOf('--project') + 1] : undefined
  if ((command !== 'export' && command !== 'forget') || !who || !projectKey) {
    writeLine(io.stderr, usage)
    return 2
  }
  const projectId = await requireProjectId(db, projectKey, io)
  if (projectId === undefined) return 2
  const customer = await findCustomerByIdOrEmail(db, projectId, who)
  if (!customer) {
    writeLine(io.stderr, `No customer "${who}" in project ${projectKey}.`)
    return 1
  }
  const actor = `cli ${operatingSystemUser()}`
  if (command === 'export') {
    writeLine(io.stdout, JSON.stringify(await exportCustomerData(db, projectId, customer.id, actor, new Date()), null, 2))
    return 0
  }
  const report = await forgetCustomer(db, projectId, customer.id, actor)
  writeLine(
    io.stderr,
    `Customer ${customer.id} forgotten: ${report!.messages} message(s) erased, ${report!.fileCacheEntries} cached file(s) dropped, ${report!.updates} stored update(s) erased, ${report!.outboxRows} outbox row(s) scrubbed, ${report!.notes} profile note(s) and ${report!.tags} tag(s) deleted, ${report!.linkClicks} link click(s) erased, ${report!.translations} cached translation(s) deleted.`,
  )
  return 0
}

/** Who ran the command, for the audit row: the operating system's user (USER can be unset or forged in cron and containers). */
function operatingSystemUser(): string {
  try {
    return userInfo().username
  } catch {
    // No passwd entry for the uid (some containers).
    return `uid ${process.getuid?.() ?? 'unknown'}`
  }
}

export const customerCli = withDatabase(customerCommand)
runWhenMain(import.meta.url, customerCli)
