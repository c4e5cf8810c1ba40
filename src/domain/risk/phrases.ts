import { inProject, inProjects, projectRow } from '../../db/project-scope.js'
import type { DbOrTx } from '../../db/client.js'
import { riskPhrases } from '../../db/schema/index.js'
import { riskPatternProblem } from '../../shared/risk-text.js'
import { recordAudit } from '../audit/events.js'
import type { CrmOutcome } from '../crm/tags.js'
import type { DomainDeps } from '../deps.js'
import { refusalFor } from '../permissions.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'
import { compilePhrases, type CompiledPhrase, type RiskMode, type RiskPhrase } from './matcher.js'

type PhraseRow = typeof riskPhrases.$inferSelect

/** A project's phrases as the relay policy reads them (no database read per message): the config's, overridden by the stored rows. */
interface RiskBook {
  config: ProjectRuntime['config']
  rows: readonly PhraseRow[]
  compiled: CompiledPhrase[]
}

const books = new WeakMap<ProjectRuntime, RiskBook>()

/** The project's phrases: the config's starting set, a stored row of the same name winning (a removed one hides it). */
export function effectivePhrases(config: ProjectRuntime['config'], rows: readonly PhraseRow[]): RiskPhrase[] {
  const byName = new Map<string, RiskPhrase>(config.riskPhrases.map((phrase) => [phrase.name, phrase]))
  for (const row of rows) {
    if (row.removed) byName.delete(row.name)
    else byName.set(row.name, { name: row.name, mode: row.mode, patterns: JSON.parse(row.patterns) as string[] })
  }
  return [...byName.values()]
}

/** The compiled phrases of a project for the policy (recompiled when its config was reloaded). */
export function riskBookOf(project: ProjectRuntime): readonly CompiledPhrase[] {
  let book = books.get(project)
  if (!book || book.config !== project.config) {
    const rows = book?.rows ?? []
    book = { config: project.config, rows, compiled: compilePhrases(effectivePhrases(project.config, rows)) }
    books.set(project, book)
  }
  return book.compiled
}

/** Reads the stored phrases of a project into its book (at start, after a change, and every few seconds for other instances' changes). */
export async function loadRiskBook(db: DbOrTx, project: ProjectRuntime): Promise<void> {
  const rows = await db.select().from(riskPhrases).where(inProject(riskPhrases, project.id))
  books.set(project, { config: project.config, rows, compiled: compilePhrases(effectivePhrases(project.config, rows)) })
}

/** `loadRiskBook` for every project in one statement (the risk-prompts job re-reads them every few seconds). */
export async function loadRiskBooks(db: DbOrTx, projects: readonly ProjectRuntime[]): Promise<void> {
  if (projects.length === 0) return
  const rows = await db
    .select()
    .from(riskPhrases)
    .where(
      inProjects(
        riskPhrases,
        projects.map((p) => p.id),
      ),
    )
  for (const project of projects) {
    const own = rows.filter((r) => r.projectId === project.id)
    books.set(project, { config: project.config, rows: own, compiled: compilePhrases(effectivePhrases(project.config, own)) })
  }
}

/** `/risk list`: the project's phrases with their mode and patterns. */
export async function listRiskPhrases(deps: Pick<DomainDeps, 'db'>, project: ProjectRuntime): Promise<string> {
  await loadRiskBook(deps.db, project)
  const phrases = riskBookOf(project)
  if (phrases.length === 0) return textsOf(project).staff('riskNone')
  return [textsOf(project).staff('riskListTitle'), ...phrases.map((p) => textsOf(project).staff('riskListLine', { name: p.name, mode: p.mode, patterns: p.patterns.join(', ') }))]
    .join('\n')
    .slice(0, 4000)
}

/** `/risk add <name> <confirm|block> <pattern>` (CS leads): adds a pattern to a phrase (made if new) and sets its mode; audited. */
export async function addRiskPhrase(deps: Pick<DomainDeps, 'db'>, project: ProjectRuntime, actorUserId: number, args: string): Promise<CrmOutcome> {
  const refusal = refusalFor(project, actorUserId, 'manage_risk_phrases')
  if (refusal) return { ok: false, reason: refusal }
  const match = /^(\S+)\s+(confirm|block)\s+([\s\S]+)$/i.exec(args.trim())
  if (!match) return { ok: false, reason: textsOf(project).staff('riskUsage') }
  const name = match[1]!.toLowerCase()
  const mode = match[2]!.toLowerCase() as RiskMode
  const pattern = match[3]!.trim()
  if (!/^[a-z0-9_-]{1,32}$/.test(name)) return { ok: false, reason: textsOf(project).staff('riskBadName') }
  const problem = riskPatternProblem(pattern)
  if (problem) return { ok: false, reason: textsOf(project).staff('riskBadPattern', { problem }) }
  await deps.db.transaction(async (tx) => {
    const rows = await tx.select().from(riskPhrases).where(inProject(riskPhrases, project.id)).for('update')
    const current = effectivePhrases(project.config, rows).find((phrase) => phrase.name === name)
    const patterns = [...new Set([...(current?.patterns ?? []), pattern])]
    await tx
      .insert(riskPhrases)
      .values(projectRow(riskPhrases, project.id, { name, mode, patterns: JSON.stringify(patterns), changedBy: actorUserId }))
      .onDuplicateKeyUpdate({ set: { mode, patterns: JSON.stringify(patterns), removed: false, changedBy: actorUserId } })
    await recordAudit(tx, project.id, { kind: 'risk_phrase_change', actorUserId, customerId: null, details: { phrase: name, change: 'added', mode } })
  })
  await loadRiskBook(deps.db, project)
  return { ok: true, text: textsOf(project).staff('riskAdded', { name, mode, pattern }) }
}

/** `/risk remove <name>` (CS leads): the phrase is no longer checked (a config one too); audited. */
export async function removeRiskPhrase(deps: Pick<DomainDeps, 'db'>, project: ProjectRuntime, actorUserId: number, rawName: string): Promise<CrmOutcome> {
  const refusal = refusalFor(project, actorUserId, 'manage_risk_phrases')
  if (refusal) return { ok: false, reason: refusal }
  const name = rawName.trim().toLowerCase()
  const removed = await deps.db.transaction(async (tx) => {
    const rows = await tx.select().from(riskPhrases).where(inProject(riskPhrases, project.id)).for('update')
    const current = effectivePhrases(project.config, rows).find((phrase) => phrase.name === name)
    if (!current) return false
    await tx
      .insert(riskPhrases)
      .values(projectRow(riskPhrases, project.id, { name, mode: current.mode, patterns: JSON.stringify(current.patterns), removed: true, changedBy: actorUserId }))
      .onDuplicateKeyUpdate({ set: { removed: true, changedBy: actorUserId } })
    await recordAudit(tx, project.id, { kind: 'risk_phrase_change', actorUserId, customerId: null, details: { phrase: name, change: 'removed', mode: current.mode } })
    return true
  })
  await loadRiskBook(deps.db, project)
  return removed ? { ok: true, text: textsOf(project).staff('riskRemoved', { name }) } : { ok: false, reason: textsOf(project).staff('riskUnknown', { name: rawName.trim() }) }
}
