import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The files that take longest on their own (measured): started first, so that with several
 * workers none of them starts last and becomes the tail of the run. A fresh clone has no
 * vitest timing cache, and the default order (larger files first) put some of them last.
 */
const SLOW = [
  // A quiet run of 2026-12-07 ~16:40 (6 workers, the whole suite), longest first.
  'test/delivery/outbox.test.ts',
  'test/delivery/relay-memory.test.ts',
  'test/e2e/crash-recovery.test.ts',
  'test/e2e/broadcasts.test.ts',
  'test/e2e/reassignment.test.ts',
  'test/e2e/multi-instance.test.ts',
  'test/runtime/container.test.ts',
  'test/e2e/reassign-burst.test.ts',
  'test/e2e/graceful-shutdown.test.ts',
  'test/e2e/onboarding.test.ts',
  'test/e2e/bot-failure.test.ts',
  'test/e2e/failed-updates.test.ts',
  'test/e2e/translation.test.ts',
  'test/demo/story.test.ts',
  'test/e2e/bulk-class.test.ts',
  'test/e2e/assistant-suggest.test.ts',
  'test/e2e/backup-restore.test.ts',
  'test/e2e/routing.test.ts',
  'test/e2e/update-order.test.ts',
  'test/e2e/coalesce.test.ts',
]

export default class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const rank = (file: TestSpecification) => {
      const index = SLOW.findIndex((slow) => file.moduleId.endsWith(slow))
      return index === -1 ? SLOW.length : index
    }
    // A stable sort: the rest keep the default order (failed first, then longest last time).
    return sorted
      .map((file, i) => ({ file, i }))
      .sort((a, b) => rank(a.file) - rank(b.file) || a.i - b.i)
      .map(({ file }) => file)
  }
}
