import { eq } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { accounts } from '../../db/schema/index.js'

export interface AccountRecord {
  id: number
  email: string
  displayName: string
  externalId: string
  crTeamHint: string | null
  treatment: boolean
  status: 'active' | 'disabled'
}

/** Where account records come from: the accounts table by default; an HTTP directory can plug in. */
export interface AccountDirectory {
  findByEmail(projectId: number, email: string): Promise<AccountRecord | undefined>
}

export function databaseAccountDirectory(db: DbOrTx): AccountDirectory {
  return {
    async findByEmail(projectId, email) {
      const [row] = await db
        .select()
        .from(accounts)
        .where(inProject(accounts, projectId, eq(accounts.email, email)))
      return row
    },
  }
}

/** Trim + lower-case; undefined when it is not plausibly an email address. */
export function normaliseEmail(input: string): string | undefined {
  const email = input.trim().toLowerCase()
  return /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/.test(email) && email.length <= 254 ? email : undefined
}
