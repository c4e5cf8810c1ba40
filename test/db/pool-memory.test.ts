import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database.js'

/** A hang guard for the measuring child, not a budget (a loaded machine makes it slow); the test waits for it and a little more. */
const CHILD_HANG_GUARD_MS = 300_000

const run = promisify(execFile)
const MB = 1024 * 1024
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 1 })
})
afterAll(() => database.close())

describe("the service's database connections", () => {
  it(
    'hold little memory each: 30 pool connections keep less than 4 MB of live heap',
    async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', '--expose-gc', 'test/support/pool-memory-child.ts', database.url], { timeout: CHILD_HANG_GUARD_MS })
      const measured = JSON.parse(stdout.trim().split('\n').at(-1)!) as { pools: number }
      console.log(`30 pool connections hold ${(measured.pools / MB).toFixed(1)} MB of live heap`)
      // mysql2's default prepared-statement cache allocates 0.5 MB a connection up front (~15 MB
      // for 30); capped, a connection holds a few KB.
      expect(measured.pools).toBeLessThan(4 * MB)
    },
    CHILD_HANG_GUARD_MS + 20_000,
  )
})
