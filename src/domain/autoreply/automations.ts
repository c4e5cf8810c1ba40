import type { RE2JS } from 're2js'
import { compilePattern, type AutoReply, type Flows } from '../../config/flows.js'
import type { ProjectConfig } from '../../config/schema.js'
import type { ProjectRuntime } from '../project-runtime.js'

/** A project's auto-replies and flows, compiled once per (re)load. */
export interface Automations {
  autoReplies: Array<{ reply: AutoReply; matches: (text: string) => boolean }>
  flows: Flows
  /** The flows a keyword starts, in file order. */
  flowKeywords: Array<{ flow: string; matches: (text: string) => boolean }>
}

/** Per project runtime: replaced whole by a reload, so a message sees the old set or the new one. */
const current = new WeakMap<ProjectRuntime, Automations>()

/**
 * A keyword matches on word boundaries (Unicode letters and digits), case-insensitively, its
 * spaces as any run of spaces. Built from an escaped literal: no backtracking to speak of.
 */
function keywordMatcher(keyword: string): (text: string) => boolean {
  const escaped = keyword
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+')
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu')
  return (text) => pattern.test(text)
}

function patternMatcher(pattern: RE2JS): (text: string) => boolean {
  return (text) => pattern.matcher(text).find()
}

/** Whether a text matches any of the keywords. */
export function keywordsMatcher(keywords: string[]): (text: string) => boolean {
  const each = keywords.map(keywordMatcher)
  return (text) => each.some((matches) => matches(text))
}

function compile(config: Pick<ProjectConfig, 'autoReplies' | 'flows'>): Automations {
  return {
    autoReplies: config.autoReplies.map((reply) => ({
      reply,
      matches: reply.match.regex !== undefined ? patternMatcher(compilePattern(reply.match.regex)) : keywordsMatcher(reply.match.keywords ?? []),
    })),
    flows: config.flows ?? {},
    flowKeywords: Object.entries(config.flows ?? {}).flatMap(([flow, spec]) => (spec.keywords ? [{ flow, matches: keywordsMatcher(spec.keywords) }] : [])),
  }
}

/** The project's auto-replies and flows as last loaded. */
export function automationsOf(project: ProjectRuntime): Automations {
  let found = current.get(project)
  if (!found) current.set(project, (found = compile(project.config)))
  return found
}

/** A reload read a valid config: its auto-replies and flows replace the project's (a broken one never gets here). */
export function reloadAutomations(project: ProjectRuntime, next: Pick<ProjectConfig, 'autoReplies' | 'flows'>): void {
  current.set(project, compile(next))
}
