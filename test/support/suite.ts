import { afterAll, beforeAll, afterEach, beforeEach } from 'vitest'
import { startSimulator, type Simulator } from '../../src/simulator/index.js'
import { createTestDatabase, type TestDatabase } from './database.js'
import { startHarness, type Harness, type HarnessOptions } from './harness.js'
import { onboard, type OnboardedTopics } from './flows.js'

/**
 * A stand-in for a value that exists only once a hook has run: reads and writes go to the
 * current value, so a test file can keep `const h = …` at its top. Use it inside tests and hooks.
 */
export function lateBound<T extends object>(name: string): { view: T; set(value: T | undefined): void } {
  let current: T | undefined
  const target = (): T => {
    if (!current) throw new Error(`${name} is used before its set-up ran (use it inside tests and hooks)`)
    return current
  }
  const view = new Proxy({} as T, {
    get: (_, key) => Reflect.get(target(), key) as unknown,
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
  })
  return { view, set: (value) => (current = value) }
}

/**
 * Registers set-up and tear-down of a fixture per file (`beforeAll`) or per test (`beforeEach`)
 * and returns its late-bound view. `ready` runs once the view works (it may use it); the
 * fixture is stopped even when `ready` fails.
 */
export function useFixture<T extends object>(
  name: string,
  scope: 'file' | 'test',
  start: () => Promise<T>,
  stop: (value: T) => Promise<void> | void,
  ready?: (value: T) => Promise<void> | void,
): T {
  const fixture = lateBound<T>(name)
  let started: T | undefined
  const [before, after] = scope === 'file' ? [beforeAll, afterAll] : [beforeEach, afterEach]
  before(async () => {
    started = await start()
    fixture.set(started)
    await ready?.(started)
  })
  after(async () => {
    if (started) await stop(started)
    started = undefined
    fixture.set(undefined)
  })
  return fixture.view
}

/**
 * One harness (service, simulator, database) for a whole test file (or `describe` block), or a
 * fresh one per test with `scope: 'test'`; options computed at set-up time (a free port, say)
 * come from a function. `setUp` runs once it started (the returned view works there too).
 */
export function useHarness(options: HarnessOptions | (() => Promise<HarnessOptions>) = {}, setUp?: (h: Harness) => Promise<void> | void, scope: 'file' | 'test' = 'file'): Harness {
  return useFixture(
    'the harness',
    scope,
    async () => startHarness(typeof options === 'function' ? await options() : options),
    (h) => h.stop(),
    setUp,
  )
}

/**
 * One harness for a whole test file, with Zoe onboarded into CR North before the first test.
 * `setUp` runs once after the onboarding.
 */
export function useOnboardedZoe(options: HarnessOptions = {}, setUp?: (h: Harness, zoe: OnboardedTopics) => Promise<void> | void): { h: Harness; zoe: OnboardedTopics } {
  const zoe = lateBound<OnboardedTopics>('zoe')
  const h = useHarness(options, async (harness) => {
    const topics = await onboard(harness, harness.world.people.zoe, 'zoe@example.com', 'north')
    zoe.set(topics)
    await setUp?.(harness, topics)
  })
  return { h, zoe: zoe.view }
}

/** A bare simulator and a fresh database for a whole test file (or `describe` block), without the service. */
export function useSimulatorAndDatabase(): { sim: Simulator; database: TestDatabase } {
  const sim = lateBound<Simulator>('the simulator')
  const database = lateBound<TestDatabase>('the test database')
  useFixture(
    'the simulator and database',
    'file',
    async () => ({ sim: await startSimulator(), database: await createTestDatabase() }),
    async (started) => {
      await started.sim.close()
      await started.database.close()
    },
    (started) => {
      sim.set(started.sim)
      database.set(started.database)
    },
  )
  return { sim: sim.view, database: database.view }
}
