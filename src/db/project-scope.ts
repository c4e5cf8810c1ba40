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
