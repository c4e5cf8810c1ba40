import { eq } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { projects } from '../db/schema/index.js'
import { writeLine, type CliIo } from './run-cli.js'

/** The database id of a project key given with --project; null when the database has no such project. */
export async function projectIdOf(db: Database, key: string): Promise<number | null> {
  const [row] = await db.select({ id: projects.id }).from(projects).where(eq(projects.key, key))
  return row?.id ?? null
}

export const NO_PROJECT = (key: string) => `No project "${key}" in this database (the service registers the configured projects when it starts).`

/** The database id of the --project key, or undefined after telling the operator there is no such project. */
export async function requireProjectId(db: Database, key: string, io: CliIo): Promise<number | undefined> {
  const id = await projectIdOf(db, key)
  if (id === null) writeLine(io.stderr, NO_PROJECT(key))
  return id ?? undefined
}
