import { readdirSync, readFileSync } from 'node:fs'

export interface ProcessMemory {
  pid: number
  command: string
  rssKb: number
  hwmKb: number
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function parentOf(pid: number): number | undefined {
  // The command name may hold spaces or parentheses: the fields after the last ')' are fixed.
  const stat = readOrEmpty(`/proc/${pid}/stat`)
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ppid = Number(fields[1])
  return Number.isInteger(ppid) ? ppid : undefined
}

/** The process and all its descendants (npx → tsx → node), read from /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const ppid = parentOf(pid)
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid])
  }
  const tree: number[] = []
  const queue = [root]
  while (queue.length) {
    const pid = queue.shift() as number
    tree.push(pid)
    queue.push(...(children.get(pid) ?? []))
  }
  return tree
}

export function memoryOf(pid: number): ProcessMemory | undefined {
  const status = readOrEmpty(`/proc/${pid}/status`)
  if (!status) return undefined
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
  const command = readOrEmpty(`/proc/${pid}/cmdline`).split('\0').join(' ').trim()
  return { pid, command, rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') }
}
