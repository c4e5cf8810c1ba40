import { eq, inArray, isNull } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client.js'
import { inProject, type ProjectScope, projectRow } from '../../db/project-scope.js'
import { customerAttributions, linkClicks, links } from '../../db/schema/index.js'
import type { Texts } from '../../texts/index.js'
import { CLICK_TOKEN } from './codes.js'
import { readParams } from './links.js'

/**
 * A client's `/start <payload>`: when the payload is a click token of the project, the customer
 * is attributed to that click (the first click they started with is kept, the latest replaces
 * the last one) and the click counts as a start (once: for the first customer who used it).
 * Returns whether the payload was a click token; anything else is a plain start payload.
 */
export async function attributeStart(tx: DbOrTx, scope: ProjectScope, customerId: number, payload: string, now: Date): Promise<boolean> {
  if (!CLICK_TOKEN.test(payload)) return false
  const [click] = await tx
    .select({ id: linkClicks.id })
    .from(linkClicks)
    .where(inProject(linkClicks, scope.projectId, eq(linkClicks.token, payload)))
  if (!click) return false
  await tx
    .update(linkClicks)
    .set({ customerId, startedAt: now })
    .where(inProject(linkClicks, scope.projectId, eq(linkClicks.id, click.id), isNull(linkClicks.customerId)))
  await tx
    .insert(customerAttributions)
    .values(projectRow(customerAttributions, scope.projectId, { customerId, firstClickId: click.id, lastClickId: click.id }))
    .onDuplicateKeyUpdate({ set: { lastClickId: click.id } })
  return true
}

/** Longest source shown on a card. */
const SOURCE_CHARS = 200

/**
 * Where the customer came from, as cards show it: "FB spring · utm_campaign=spring", with the
 * latest link after it when they last came through another click; undefined when no link brought them.
 */
export async function customerSource(db: DbOrTx, scope: ProjectScope, t: Texts, customerId: number): Promise<string | undefined> {
  const [attribution] = await db
    .select()
    .from(customerAttributions)
    .where(inProject(customerAttributions, scope.projectId, eq(customerAttributions.customerId, customerId)))
  if (!attribution) return undefined
  const clicks = await db
    .select({ id: linkClicks.id, params: linkClicks.params, name: links.name })
    .from(linkClicks)
    .innerJoin(links, eq(links.id, linkClicks.linkId))
    .where(inProject(linkClicks, scope.projectId, inProject(links, scope.projectId), inArray(linkClicks.id, [attribution.firstClickId, attribution.lastClickId])))
  const describe = (clickId: number) => {
    const click = clicks.find((c) => c.id === clickId)
    if (!click) return undefined
    const utm = Object.entries(readParams(click.params)).filter(([key]) => key.startsWith('utm_'))
    return [click.name, ...utm.map(([key, value]) => `${key}=${value}`)].join(' · ')
  }
  const first = describe(attribution.firstClickId)
  const last = attribution.lastClickId === attribution.firstClickId ? undefined : describe(attribution.lastClickId)
  const text = first && last && last !== first ? t.staff('linkLatest', { first, last }) : (first ?? last)
  return text === undefined ? undefined : oneLine(text)
}

/** A source as one line of at most SOURCE_CHARS (values come from visitors' URLs). */
function oneLine(text: string): string {
  const line = text.replace(/[\s\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
  const chars = [...line]
  return chars.length > SOURCE_CHARS ? `${chars.slice(0, SOURCE_CHARS - 1).join('')}…` : line
}

/** The card's line(s) on where the customer came from: the link source, and the start payload when there is one (or no source). */
export function originLines(t: Texts, source: string | undefined, startPayload: string): string[] {
  return [...(source ? [t.staff('linkSourceLine', { source })] : []), ...(source && startPayload === '—' ? [] : [t.staff('cardStartPayload', { payload: startPayload })])]
}
