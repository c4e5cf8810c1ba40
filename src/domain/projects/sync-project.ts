import { eq, sql } from 'drizzle-orm'
import type { ProjectConfig } from '../../config/index.js'
import type { DbOrTx } from '../../db/client.js'
import { projects, staff } from '../../db/schema/index.js'
import { projectRow } from '../../db/project-scope.js'

/** Upserts a configured project and its staff roster; returns the project's database id. */
export async function syncProject(db: DbOrTx, config: ProjectConfig): Promise<number> {
  await db
    .insert(projects)
    .values({ key: config.key, name: config.name })
    .onDuplicateKeyUpdate({ set: { name: sql`VALUES(name)` } })
  const [row] = await db.select({ id: projects.id }).from(projects).where(eq(projects.key, config.key))
  if (!row) throw new Error(`Project ${config.key} could not be saved`)
  for (const member of config.staff) {
    await db
      .insert(staff)
      .values(projectRow(staff, row.id, { telegramUserId: member.id, displayName: member.name, roles: member.roles.join(',') }))
      .onDuplicateKeyUpdate({ set: { displayName: sql`VALUES(display_name)`, roles: sql`VALUES(roles)` } })
  }
  return row.id
}
