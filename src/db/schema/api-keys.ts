import { datetime, index, int, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, timestamps } from './columns.js'

/**
 * Keys of the admin API. Only a hash is stored; `publicId` (in the key itself) finds the row,
 * the hash is then compared in constant time. A key without a project is global.
 */
export const apiKeys = mysqlTable(
  'api_keys',
  {
    id: primaryId(),
    projectId: int('project_id', { unsigned: true }),
    publicId: varchar('public_id', { length: 16 }).notNull(),
    name: varchar('name', { length: 128 }).notNull(),
    secretHash: varchar('secret_hash', { length: 64 }).notNull(),
    lastUsedAt: datetime('last_used_at', { mode: 'date', fsp: 3 }),
    revokedAt: datetime('revoked_at', { mode: 'date', fsp: 3 }),
    ...timestamps,
  },
  (t) => [uniqueIndex('api_keys_public_uq').on(t.publicId), index('api_keys_project_idx').on(t.projectId)],
)
