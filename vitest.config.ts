import { defineConfig } from 'vitest/config'
import SlowFirst from './test/support/slow-first-sequencer.js'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-each-file.ts'],
    // Reports a statement sent on the pool from inside a transaction (src/db/pool-guard.ts).
    env: { TOPICDESK_POOL_GUARD: '1' },
    // Hang guards, not budgets: a correct run on a busy machine must not fail on them.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    // A worker runs file after file in one process: src and its dependencies load once per worker,
    // not once per file (state in src is per app, never per module). Each file still has its own
    // simulator, service and database.
    isolate: false,
    // Most files wait on the database, the simulator and timers, not on the CPU: vitest's default
    // (cores - 1, so one file at a time on 2 cores) left the machine idle. Each file has its own
    // database; at ~35 connections per running service this stays far under max_connections=500.
    maxWorkers: Number(process.env.TOPICDESK_TEST_WORKERS ?? 6),
    // The longest files start first, so none of them is the tail of the run.
    sequence: { sequencer: SlowFirst },
    // No retry: the 60 s 'stalls' it covered were tests acting in a topic before the service had
    // recorded it (onboard() returned on the simulator's topics) or on a copy not recorded yet;
    // the service ignored those updates as it should. Tests now wait for that (flows.ts, sync).
  },
})
