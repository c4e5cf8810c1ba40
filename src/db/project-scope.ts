import { and, eq, inArray, type SQL } from 'drizzle-orm'
import type { AnyMySqlColumn, MySqlInsertValue, MySqlTable } from 'drizzle-orm/mysql-core'

/**
 * The project a query is limited to. Repository functions that look rows of a project-owned table
 * up by anything but a primary key obtained within the project take one, so a lookup can never
 * reach another project's rows (test/e2e/isolation.test.ts checks every statement).
 */
export interface ProjectScope {
  readonly projectId: number
}

/** The scope of a running project (or anything carrying its row id). */
export const scopeOf = (project: { readonly id: number }): ProjectScope => ({ projectId: project.id })

/** A project-owned table (or an alias of one): it has a `project_id` column. */
export interface ProjectOwned {
  readonly projectId: AnyMySqlColumn
}

/**
 * "The row of `table` is the project's, and `conditions` hold": the one way a statement is limited
 * to a project (`npm run lint` rejects a hand-written `eq(x.projectId, …)` anywhere else).
 * `project` is a project's row id, or the `projectId` column of a row already in the statement
 * (a join to that row's project). Conditions may be `undefined`, as with drizzle's `and`.
 */
export function inProject(table: ProjectOwned, project: number | AnyMySqlColumn, ...conditions: Array<SQL | undefined>): SQL {
  const scoped = eq(table.projectId, project)
  return conditions.length === 0 ? scoped : (and(scoped, ...conditions) ?? scoped)
}

/** `inProject` over several projects at once (a job that runs for every running project). */
export function inProjects(table: ProjectOwned, projectIds: readonly number[], ...conditions: Array<SQL | undefined>): SQL {
  const scoped = inArray(table.projectId, [...projectIds])
  return conditions.length === 0 ? scoped : (and(scoped, ...conditions) ?? scoped)
}

/** The `project_id` an insert into `T` takes (null for the few tables whose rows may belong to no project). */
type ProjectIdOf<T extends MySqlTable> = T['$inferInsert'] extends { projectId?: infer P } ? Exclude<P, undefined> : never

/**
 * A new row of a project-owned table, its `project_id` set from the project: the one way an insert
 * names its project (`npm run lint` rejects a `projectId` written in a `values(…)` literal), so a
 * project's rows are written the way they are filtered. `values` is checked against `table`.
 */
export function projectRow<T extends MySqlTable & ProjectOwned>(table: T, projectId: ProjectIdOf<T>, values: Omit<MySqlInsertValue<T>, 'projectId'>): MySqlInsertValue<T> {
  return { ...values, projectId } as MySqlInsertValue<T>
}
