import { describe, expect, it } from 'vitest'
import { ClassWakeups } from '../../src/delivery/wakeup.js'

/** The idle workers' alarm clock, without a database: `dueTimes` is what `classDueTimes` would read. */
function wakeups(due: () => Map<string, number>) {
  let checks = 0
  const alarm = new ClassWakeups<string>(
    () => {
      checks += 1
      return Promise.resolve(due())
    },
    { intervalMs: 60_000, minGapMs: 0, onError: (error) => expect.fail(String(error)) },
  )
  return { alarm, checks: () => checks }
}

const settled = (promise: Promise<void>) => Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 50))])

describe('ClassWakeups', () => {
  it('wakes one sleeper of a class with a row due, and none of the other classes', async () => {
    const { alarm } = wakeups(() => new Map([['a', 0]]))
    const first = alarm.sleep('a', 60_000)
    const second = alarm.sleep('a', 60_000)
    const other = alarm.sleep('b', 60_000)
    alarm.check()
    expect(await settled(first)).toBe(true)
    expect(await settled(second)).toBe(false)
    expect(await settled(other)).toBe(false)
    alarm.stop()
  })

  it('keeps a wake-up for a class whose workers were all busy: the next to sleep goes on at once', async () => {
    const { alarm } = wakeups(() => new Map())
    alarm.wakeOne('a')
    expect(await settled(alarm.sleep('a', 60_000))).toBe(true)
    expect(await settled(alarm.sleep('a', 60_000))).toBe(false)
    alarm.stop()
  })

  it('wakes a class when its earliest row falls due later', async () => {
    const { alarm } = wakeups(() => new Map([['a', 300]]))
    const sleeping = alarm.sleep('a', 60_000)
    alarm.check()
    expect(await settled(sleeping)).toBe(false)
    // Woken by the class's timer, long before the sleep's own 60 s.
    await sleeping
    alarm.stop()
  })

  it('coalesces checks asked for while one runs into one more', async () => {
    const { alarm, checks } = wakeups(() => new Map())
    for (let i = 0; i < 10; i++) alarm.check()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(checks()).toBe(2)
    alarm.stop()
  })
})
