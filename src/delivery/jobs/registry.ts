import { PermanentJobError } from '../classify-error.js'
import type { OutboxJobType } from '../jobs.js'
import type { JobModule, JobOf } from './module.js'

/** A module for every job type of the `OutboxJob` union: the compiler finds a type left out. */
export type JobModules = { readonly [T in OutboxJobType]: JobModule<JobOf<T>> }

/**
 * The outbox job types, by type: the one place the worker (to send) and the planner (to weigh and
 * place a job) look a job up. `with` adds a module (a test's own job type).
 */
export class JobRegistry {
  private readonly byType: ReadonlyMap<string, JobModule>
  /** The job types whose relay link the claim reads ahead (`prefetch: 'link'`). */
  readonly linkPrefetching: readonly string[]

  constructor(modules: Iterable<JobModule>) {
    const byType = new Map<string, JobModule>()
    for (const module of modules) {
      if (byType.has(module.type)) throw new Error(`Outbox job type "${module.type}" is registered twice`)
      byType.set(module.type, module)
    }
    this.byType = byType
    this.linkPrefetching = [...byType.values()].filter((module) => module.prefetch === 'link').map((module) => module.type)
  }

  /** A registry of every job type, each under its own key (a key that is not its module's type is a mistake). */
  static of(modules: JobModules): JobRegistry {
    for (const [type, module] of Object.entries(modules) as Array<[string, JobModule]>)
      if (module.type !== type) throw new Error(`Outbox job module "${module.type}" is registered as "${type}"`)
    return new JobRegistry(Object.values(modules) as JobModule[])
  }

  /** This registry with one more job type. */
  with<J extends { type: string }>(module: JobModule<J>): JobRegistry {
    return new JobRegistry([...this.byType.values(), module])
  }

  /** The module of a job type, if registered. */
  find(type: string): JobModule | undefined {
    return this.byType.get(type)
  }

  /** The module of a job type; a row of a type this version does not know cannot be sent (dead letter). */
  get(type: string): JobModule {
    const module = this.byType.get(type)
    if (!module) throw new PermanentJobError(`Unknown outbox job type "${type}"`)
    return module
  }
}
