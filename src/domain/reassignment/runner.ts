import type { DomainDeps } from '../deps.js'
import type { ProjectRuntime } from '../project-runtime.js'
import { executeReassignment } from './execute.js'

/** Moves executed at once per process: enough to keep the database busy, few enough not to deadlock each other. */
export const MOVE_CONCURRENCY = 4
/** A move that still fails (after its transient retries) is queued again this many times, then left to the cron job. */
const MOVE_ATTEMPTS = 3

interface QueuedMove {
  project: ProjectRuntime
  reassignmentId: number
  attempt: number
}

/**
 * The "now" moves of one process, run in the background in arrival order, `MOVE_CONCURRENCY` at
 * a time. A hundred moves started together used to run as a hundred concurrent transactions that
 * deadlocked each other (and waited for the next cron minute); queued, they all start at once.
 */
class MoveQueue {
  private readonly waiting: QueuedMove[] = []
  private running = 0

  constructor(private readonly deps: DomainDeps) {}

  add(move: QueuedMove): void {
    this.waiting.push(move)
    this.pump()
  }

  private pump(): void {
    while (this.running < MOVE_CONCURRENCY && this.waiting.length) {
      const move = this.waiting.shift()!
      this.running++
      void this.run(move).finally(() => {
        this.running--
        this.pump()
      })
    }
  }

  private async run(move: QueuedMove): Promise<void> {
    try {
      await executeReassignment(this.deps, move.project, move.reassignmentId)
    } catch (error) {
      const again = move.attempt < MOVE_ATTEMPTS
      this.deps.logger.error(
        { err: error, reassignmentId: move.reassignmentId, attempt: move.attempt },
        again ? 'reassignment failed; queued again' : 'reassignment failed; the cron job will try again',
      )
      if (again) this.waiting.push({ ...move, attempt: move.attempt + 1 })
    }
  }
}

const queues = new WeakMap<DomainDeps, MoveQueue>()

/** Starts a due move in the background (queued behind the moves already running in this process). */
export function startReassignment(deps: DomainDeps, project: ProjectRuntime, reassignmentId: number): void {
  let queue = queues.get(deps)
  if (!queue) queues.set(deps, (queue = new MoveQueue(deps)))
  queue.add({ project, reassignmentId, attempt: 1 })
}
