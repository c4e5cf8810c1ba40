import { and, desc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { isDuplicateKey } from '../../db/errors.js'
import { inProject, type ProjectScope, projectRow } from '../../db/project-scope.js'
import { links } from '../../db/schema/index.js'
import type { Texts } from '../../texts/index.js'
import { LINK_CODE, newLinkCode } from './codes.js'

export type Link = typeof links.$inferSelect

/** Parameters as stored (on a link, on a click): key → value. */
export type LinkParams = Record<string, string>

/** Longest link name kept. */
export const LINK_NAME_CHARS = 128

/** `<publicUrl>/l/<code>`: what a link's visitors open. */
export const linkUrl = (publicUrl: string, code: string): string => `${publicUrl}/l/${code}`

/**
 * Reads `key=value` words (`--utm campaign=spring`, `/link new FB spring utm_source=fb`) into
 * parameters; a key without the `utm_` prefix gets it. A word that is not one is named in `bad`.
 */
export function parseLinkParams(words: readonly string[]): { params: LinkParams; bad?: string } {
  const params: LinkParams = {}
  for (const word of words) {
    const match = /^([A-Za-z0-9_-]{1,64})=(.{1,256})$/.exec(word)
    if (!match) return { params, bad: word }
    const key = match[1]!.toLowerCase()
    params[key.startsWith('utm_') ? key : `utm_${key}`] = match[2]!
  }
  return { params }
}

/** Makes a link of the project (a fresh random code; a rare clash draws again). */
export async function createLink(db: DbOrTx, scope: ProjectScope, link: { name: string; params: LinkParams; createdBy: number | null }): Promise<Link> {
  const name = link.name.trim().slice(0, LINK_NAME_CHARS)
  for (let attempt = 1; ; attempt++) {
    const code = newLinkCode()
    try {
      const [inserted] = await db.insert(links).values(projectRow(links, scope.projectId, { code, name, params: JSON.stringify(link.params), createdBy: link.createdBy }))
      const [row] = await db
        .select()
        .from(links)
        .where(inProject(links, scope.projectId, eq(links.id, Number(inserted.insertId))))
      return row!
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= 5) throw error
    }
  }
}

/** The link a URL names, when it exists and is enabled (any project: the row says which). */
export async function findEnabledLink(db: DbOrTx, code: string): Promise<Link | undefined> {
  if (!LINK_CODE.test(code)) return undefined
  const [row] = await db
    .select()
    .from(links)
    .where(and(eq(links.code, code), eq(links.enabled, true)))
  return row
}

/** Turns a link of the project off: its URL answers 404 from now on. */
export async function disableLink(db: DbOrTx, scope: ProjectScope, t: Texts, code: string): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  const [result] = await db
    .update(links)
    .set({ enabled: false })
    .where(inProject(links, scope.projectId, eq(links.code, code)))
  return result.affectedRows > 0 ? { ok: true, text: t.staff('linkDisabled', { code }) } : { ok: false, reason: t.staff('linkUnknownCode', { code }) }
}

/** The project's links, newest first. */
export async function projectLinks(db: DbOrTx, scope: ProjectScope): Promise<Link[]> {
  return db.select().from(links).where(inProject(links, scope.projectId)).orderBy(desc(links.id))
}

/** A stored parameters text read back (an unreadable one reads as none). */
export function readParams(text: string | null): LinkParams {
  if (!text) return {}
  try {
    const parsed = JSON.parse(text) as unknown
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as LinkParams) : {}
  } catch {
    return {}
  }
}
