import { createDatabase } from '../db/client.js'
import { describeDeadLetter, listDeadLetters, retryDeadLetter } from '../delivery/dead-letters.js'

const usage = 'usage: npm run outbox -- list [--limit N] | retry <id>'

/** `npm run outbox -- list|retry <id>`: the dead letter list from the command line. */
async function main(argv: string[]): Promise<number> {
  const url = process.env.DATABASE_URL
  if (!url) {
    console.error('DATABASE_URL is not set')
    return 2
  }
  const [command, arg] = argv
  const { db, close } = createDatabase(url, { poolSize: 1 })
  try {
    if (command === 'list') {
      const limitIndex = argv.indexOf('--limit')
      const letters = await listDeadLetters(db, { limit: limitIndex >= 0 ? Number(argv[limitIndex + 1]) : 50 })
      if (letters.length === 0) console.log('The dead letter list is empty.')
      for (const letter of letters) console.log(describeDeadLetter(letter))
      return 0
    }
    if (command === 'retry' && arg && /^\d+$/.test(arg)) {
      const ok = await retryDeadLetter(db, Number(arg))
      console.log(ok ? `Row ${arg} is queued again.` : `Row ${arg} is not on the dead letter list.`)
      return ok ? 0 : 1
    }
    console.error(usage)
    return 2
  } finally {
    await close()
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
