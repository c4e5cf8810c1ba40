import { exec, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database.js'
import { freePort } from '../support/free-port.js'

const run = promisify(exec)

/** The shell lines of the README's "Try it by hand" section, comments dropped, in order. */
function documentedCommands(): string[] {
  const readme = readFileSync('README.md', 'utf8')
  const section = readme.split('### Try it by hand')[1]?.split(/\n##/)[0] ?? ''
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
  return blocks.flatMap((block) => block.split('\n').filter((line) => line.trim() !== '')).map((line) => line.replace(/\s+#\s.*$/, '').trim())
}

interface LongRunning {
  child: ChildProcess
  output: () => string
}
const running: LongRunning[] = []
let database: TestDatabase | undefined

afterEach(async () => {
  for (const { child } of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue
    const exited = new Promise((resolve) => child.once('exit', resolve))
    // npm, tsx and node: the whole process group this test started.
    process.kill(-child.pid, 'SIGKILL')
    await exited
  }
  await database?.close()
})

function startLongRunning(command: string, env: NodeJS.ProcessEnv): LongRunning {
  const child = spawn('sh', ['-c', command], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const started = { child, output: () => output }
  running.push(started)
  return started
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('README "Try it by hand"', () => {
  it('the simulator with --sample, the service on its written config, a client message reaching the CS topic and the answer reaching the client', async () => {
    const commands = documentedCommands()
    expect(commands).toHaveLength(11)
    database = await createTestDatabase({ poolSize: 1 })
    const port = await freePort()
    const dir = mkdtempSync(join(tmpdir(), 'topicdesk-by-hand-'))
    const env = { ...process.env, DATABASE_URL: database.url, TELEGRAM_API_ROOT: '' }
    const localize = (command: string) =>
      command.replaceAll('8081', String(port)).replaceAll('sim.yaml', join(dir, 'sim.yaml')).replaceAll('sim.accounts.csv', join(dir, 'sim.accounts.csv'))
    const [simulatorCommand, serviceCommand, importCommand, ...curls] = commands.map(localize)

    const simulator = startLongRunning(simulatorCommand!, env)
    await until(() => (simulator.output().includes('wrote ') ? true : undefined), `the simulator to write its config:\n${simulator.output()}`)
    const service = startLongRunning(serviceCommand!, env)
    // The test database is migrated already, so the import need not wait for the service (by hand it comes after).
    const [imported] = await Promise.all([
      run(importCommand!, { env }),
      until(() => (service.output().includes('topicdesk started') ? true : undefined), 'the service to start', 30_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${service.output().slice(-2000)}`)
      }),
    ])
    expect(imported.stdout).toContain('imported 2 account(s) into project "acme"')

    const curl = async (command: string) => JSON.parse((await run(command, { env })).stdout) as { ok: boolean; result: unknown; description?: string }
    const showing = (command: string, text: string) =>
      until(async () => {
        const answer = await curl(command)
        return JSON.stringify(answer.result).includes(text) ? (answer.result as Array<{ from: string; text?: string }>) : undefined
      }, `"${text}" from ${command}`)
    const zoesChat = `curl -s 'localhost:${port}/_sim/messages?chat=@acme_bot&as=zoe'`
    const csGroup = `curl -s 'localhost:${port}/_sim/messages?chat=cs'`
    const [start, email, press, question, topicsCommand, topicCommand, answer, clientChat] = curls

    expect((await curl(start!)).ok).toBe(true)
    await showing(zoesChat, 'email')
    expect((await curl(email!)).ok).toBe(true)
    await showing(csGroup, 'CR North')
    const pressed = await curl(press!)
    expect(pressed.ok, pressed.description).toBe(true)
    await showing(zoesChat, 'Your team is ready')
    expect((await curl(question!)).ok).toBe(true)
    const topics = await until(async () => {
      const listed = (await curl(topicsCommand!)).result as Array<{ name: string; message_thread_id: number }>
      return listed.find((t) => t.name.startsWith('Zoe'))
    }, "Zoe's CS topic")
    const inTopic = (command: string) => command.replace('thread=3', `thread=${topics.message_thread_id}`).replace('"thread":3', `"thread":${topics.message_thread_id}`)
    const copy = await showing(inTopic(topicCommand!), 'Where is my order?')
    expect(copy.find((m) => m.text?.includes('Where is my order?'))?.from).toBe('acme_cs_bot')
    expect((await curl(inTopic(answer!))).ok).toBe(true)
    const chat = await showing(clientChat!, 'It ships today.')
    expect(chat.find((m) => m.text?.includes('It ships today.'))?.text).toContain('Alice · CS')
  })
})
