import type { z } from 'zod'

// Walks zod's own schema description (`_zod.def`), so an unknown key can be answered with the
// keys that object does know, and a test can find any object that would drop unknown keys.
type AnySchema = z.core.$ZodType
interface Def {
  type: string
  innerType?: AnySchema
  in?: AnySchema
  shape?: Record<string, AnySchema>
  catchall?: AnySchema
  element?: AnySchema
  valueType?: AnySchema
  options?: AnySchema[]
}
const defOf = (schema: AnySchema) => schema._zod.def as unknown as Def

/** The schemas a schema wraps or contains, each with the path segment that leads to it (undefined: the same value). */
function children(schema: AnySchema): Array<[segment: string | number | undefined, child: AnySchema]> {
  const def = defOf(schema)
  if (def.innerType) return [[undefined, def.innerType]]
  if (def.type === 'pipe' && def.in) return [[undefined, def.in]]
  if (def.type === 'union') return (def.options ?? []).map((option) => [undefined, option])
  if (def.type === 'object') return Object.entries(def.shape ?? {}).map(([key, child]) => [key, child])
  if (def.type === 'array' && def.element) return [[0, def.element]]
  if (def.type === 'record' && def.valueType) return [['*', def.valueType]]
  return []
}

/** The keys the object at `path` knows (through wrappers, lists, unions and records), if it is an object. */
export function knownKeysAt(schema: AnySchema, path: ReadonlyArray<PropertyKey>): string[] | undefined {
  const def = defOf(schema)
  if (path.length === 0 && def.type === 'object') return Object.keys(def.shape ?? {})
  for (const [segment, child] of children(schema)) {
    if (segment === undefined) {
      const keys = knownKeysAt(child, path)
      if (keys) return keys
    } else if (path.length > 0 && (segment === path[0] || typeof segment !== 'string' || segment === '*')) {
      const keys = knownKeysAt(child, path.slice(1))
      if (keys) return keys
    }
  }
  return undefined
}

/** Paths of objects that strip unknown keys instead of refusing them (every config object must be strict). */
export function looseObjectPaths(schema: AnySchema, path = '(root)'): string[] {
  const def = defOf(schema)
  const own = def.type === 'object' && def.catchall?._zod.def.type !== 'never' ? [path] : []
  return [...own, ...children(schema).flatMap(([segment, child]) => looseObjectPaths(child, segment === undefined ? path : `${path}.${segment}`))]
}

/** What to tell about an unknown key: the nearest known key when one is close, else the known keys. */
export function describeUnknownKey(key: string, known: string[]): string {
  const scored = known.map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) })).sort((a, b) => a.distance - b.distance)
  const best = scored[0]
  if (best && best.distance <= Math.max(2, Math.floor(key.length / 3))) return `unknown key; did you mean "${best.candidate}"?`
  return known.length > 0 ? `unknown key; known keys here: ${known.join(', ')}` : 'unknown key'
}

/** Levenshtein distance (insertions, deletions and substitutions each cost 1). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length]!
}
