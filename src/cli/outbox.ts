import { listFailedUpdates, retryFailedUpdate } from '../db/repositories/updates.js'
import { describeFailedUpdate, parseUpdateKey } from '../bots/ingress/failed-updates.js'
import { runWhenMain, withDatabase, writeLine } from './run-cli.js'
import { describeDeadLetter, listDeadLetters, retryDeadLetter } from '../delivery/dead-letters.js'

const usage = 'usage: npm run outbox -- list [--limit N] | retry <id> | retry-update <bot id>:<update id>'

/**
 * `npm run outbox -- list|retry <id>|retry-update <bot>:<update>`: the dead outbox rows and the
 * updates parked after failed handling, from the command line.
 */
export const outboxCli = withDatabase(async (db, argv, io) => {
  const [command, arg] = argv
  if (command === 'list') {
    const limitIndex = argv.indexOf('--limit')
    const limit = limitIndex >= 0 ? Number(argv[limitIndex + 1]) : 50
    const [letters, parked] = await Promise.all([listDeadLetters(db, { limit }), listFailedUpdates(db, { limit })])
    writeLine(io.stdout, letters.length === 0 ? 'The dead letter list is empty.' : 'Dead outbox rows (newest first):')
    for (const letter of letters) writeLine(io.stdout, describeDeadLetter(letter))
    writeLine(io.stdout, parked.length === 0 ? 'No failed updates.' : 'Failed updates (newest first):')
    for (const update of parked) writeLine(io.stdout, describeFailedUpdate(update))
    return 0
  }
  if (command === 'retry' && arg && /^\d+$/.test(arg)) {
    const ok = await retryDeadLetter(db, Number(arg))
    writeLine(io.stdout, ok ? `Row ${arg} is queued again.` : `Row ${arg} is not on the dead letter list.`)
    return ok ? 0 : 1
  }
  const key = command === 'retry-update' && arg ? parseUpdateKey(arg) : undefined
  if (key) {
    const ok = await retryFailedUpdate(db, key)
    writeLine(io.stdout, ok ? `Update ${arg} will be handled again (by the process that polls its bot).` : `Update ${arg} is not on the failed list.`)
    return ok ? 0 : 1
  }
  writeLine(io.stderr, usage)
  return 2
})
runWhenMain(import.meta.url, outboxCli)
