import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'

const run = promisify(execFile)

/** db_choose_port of scripts/lib/db-env.sh, run as db-start.sh runs it, for a throwaway DB home. */
async function choosePort(home: string, env: Record<string, string> = {}): Promise<number> {
  const { stdout } = await run('bash', ['-c', 'source scripts/lib/db-env.sh && db_choose_port && echo "$DB_PORT"'], {
    env: { ...process.env, TOPICDESK_DB_HOME: home, TOPICDESK_DB_PORT: '', ...env },
  })
  return Number(stdout.trim())
}

const servers: Server[] = []
function occupy(port = 0): Promise<number> {
  const server = createServer()
  servers.push(server)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port))
  })
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

describe('the throwaway database port', () => {
  it('never takes a port another server listens on, and records its choice under the DB home', async () => {
    const home = mkdtempSync(join(tmpdir(), 'topicdesk-dbhome-'))
    const taken = await occupy()
    writeFileSync(join(home, 'port'), `${taken}\n`)
    const port = await choosePort(home)
    expect(port).not.toBe(taken)
    expect(port).toBeGreaterThanOrEqual(3307)
    expect(readFileSync(join(home, 'port'), 'utf8').trim()).toBe(String(port))
    await expect(occupy(port)).resolves.toBe(port)
  })

  it('reuses the recorded port while it is free', async () => {
    const home = mkdtempSync(join(tmpdir(), 'topicdesk-dbhome-'))
    const free = await occupy()
    await new Promise((resolve) => servers.pop()!.close(resolve))
    writeFileSync(join(home, 'port'), `${free}\n`)
    expect(await choosePort(home)).toBe(free)
  })

  it('keeps an explicit TOPICDESK_DB_PORT', async () => {
    const home = mkdtempSync(join(tmpdir(), 'topicdesk-dbhome-'))
    expect(await choosePort(home, { TOPICDESK_DB_PORT: '3399' })).toBe(3399)
  })
})
