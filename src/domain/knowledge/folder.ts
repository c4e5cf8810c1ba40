import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'

/** A file of the knowledge folder, read and checked. */
export type KnowledgeFile = { source: string; kind: 'markdown' | 'text'; content: string }
/** A file the sync refuses (its earlier passages are kept), with why. */
export type BrokenFile = { source: string; reason: string }

/** Larger than this, a file is more likely a mistake (an export, a log) than a page of help. */
export const MAX_FILE_BYTES = 1_000_000

const KINDS: Record<string, KnowledgeFile['kind']> = { '.md': 'markdown', '.markdown': 'markdown', '.txt': 'text' }

/**
 * The Markdown (.md, .markdown) and text (.txt) files under `folder`, recursively (hidden files
 * and other extensions ignored), each named by its path relative to the folder with `/`. A file
 * that cannot be read, is not UTF-8 text or is too large is returned in `broken`, not read.
 */
export function readKnowledgeFolder(folder: string): { files: KnowledgeFile[]; broken: BrokenFile[] } {
  const files: KnowledgeFile[] = []
  const broken: BrokenFile[] = []
  for (const path of listFiles(folder)) {
    const kind = KINDS[extname(path).toLowerCase()]
    if (!kind) continue
    const source = relative(folder, path).split(sep).join('/')
    const read = readText(path)
    if (typeof read === 'string') files.push({ source, kind, content: read })
    else broken.push({ source, reason: read.reason })
  }
  return { files: files.sort((a, b) => a.source.localeCompare(b.source)), broken }
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) return listFiles(path)
      return entry.isFile() ? [path] : []
    })
}

function readText(path: string): string | { reason: string } {
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return { reason: `larger than ${MAX_FILE_BYTES} bytes` }
    const bytes = readFileSync(path)
    if (bytes.includes(0)) return { reason: 'not a text file (it holds NUL bytes)' }
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (error) {
    return { reason: error instanceof TypeError ? 'not UTF-8 text' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` }
  }
}
