import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import { inProject, projectRow } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { apiKeys } from '../../db/schema/index.js'

/** Who a valid key speaks for: one project, or every project (a global key). */
export interface ApiCaller {
  keyId: number
  name: string
  projectId: number | null
}

const PREFIX = 'tdk'
const hash = (secret: string) => createHash('sha256').update(secret).digest()

/** Creates a key; the whole key is returned once and never stored (only its hash is). */
export async function createApiKey(db: DbOrTx, options: { projectId: number | null; name: string }): Promise<{ key: string; publicId: string }> {
  const publicId = randomBytes(6).toString('hex')
  const secret = randomBytes(24).toString('base64url')
  await db.insert(apiKeys).values(projectRow(apiKeys, options.projectId, { publicId, name: options.name, secretHash: hash(secret).toString('hex') }))
  return { key: `${PREFIX}_${publicId}_${secret}`, publicId }
}

/** The caller of a presented key, or undefined for a malformed, unknown or revoked one. */
export async function verifyApiKey(db: DbOrTx, presented: string): Promise<ApiCaller | undefined> {
  const match = /^tdk_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/.exec(presented)
  if (!match) return undefined
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.publicId, match[1]!), isNull(apiKeys.revokedAt)))
  if (!row) return undefined
  if (!timingSafeEqual(hash(match[2]!), Buffer.from(row.secretHash, 'hex'))) return undefined
  await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id))
  return { keyId: row.id, name: row.name, projectId: row.projectId }
}

export async function listApiKeys(db: DbOrTx, projectId?: number) {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(projectId === undefined ? undefined : inProject(apiKeys, projectId))
    .orderBy(apiKeys.id)
  return rows.map(({ secretHash: _, ...row }) => row)
}

/** Revokes a key by its public id; false when there is no such active key. */
export async function revokeApiKey(db: DbOrTx, publicId: string): Promise<boolean> {
  const [result] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.publicId, publicId), isNull(apiKeys.revokedAt)))
  return result.affectedRows === 1
}
