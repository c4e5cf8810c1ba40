import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { createPool } from 'mysql2'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { createSampleWorld, sampleConfig } from '../../src/demo/sample-world.js'
import { startSimulator } from '../../src/simulator/index.js'
import { createTestDatabase } from '../support/database.js'
import { freePort } from '../support/free-port.js'

/**
 * The image without Docker (no engine runs here): `dist/main.js` started with the runtime stage's
 * ENV, then the Dockerfile's own HEALTHCHECK command; and the deploy files checked against it.
 */
const run = promisify(execFile)
const dockerfile = readFileSync('Dockerfile', 'utf8').replace(/\\\n/g, ' ')
const compose = parseYaml(readFileSync('deploy/compose.yaml', 'utf8')) as {
  services: Record<string, { image?: string; ports?: string[]; environment?: Record<string, string>; profiles?: string[] }>
}
const cleanups: Array<() => unknown> = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

/** `ENV` of the runtime stage, as `docker run` sets it. */
function runtimeEnv(): Record<string, string> {
  const stage = dockerfile.slice(dockerfile.indexOf('AS runtime'))
  const env: Record<string, string> = {}
  for (const [, line] of stage.matchAll(/^ENV\s+(.+)$/gm)) for (const [, name, value] of line!.matchAll(/(\w+)=(\S+)/g)) env[name!] = value!
  return env
}

/** The HEALTHCHECK's exec-form command. */
function healthcheckCommand(): string[] {
  const match = /^HEALTHCHECK .*?CMD (\[.*\])\s*$/m.exec(dockerfile)
  if (!match) throw new Error('no HEALTHCHECK with an exec-form CMD in the Dockerfile')
  return JSON.parse(match[1]!) as string[]
}

/**
 * dist/ as `tsc -p tsconfig.build.json` emits it: the same compiler and options, without the type
 * check (npm test type-checks separately) and without resolving imports (isolatedModules +
 * verbatimModuleSyntax: each file's JavaScript depends on that file only), so it takes seconds
 * instead of a minute; ES modules, as NodeNext emits for a `"type": "module"` package. Under
 * .data/ so node_modules resolves.
 */
function buildDist(): string {
  const root = mkdtempSync(join(resolve('.data'), 'container-'))
  cleanups.push(() => rmSync(root, { recursive: true, force: true }))
  const { options, fileNames } = ts.parseJsonConfigFileContent(ts.readConfigFile('tsconfig.build.json', (p) => ts.sys.readFile(p)).config, ts.sys, process.cwd())
  const program = ts.createProgram(fileNames, {
    ...options,
    outDir: join(root, 'dist'),
    module: ts.ModuleKind.ES2022,
    sourceMap: false,
    noCheck: true,
    noResolve: true,
    noLib: true,
    types: [],
  })
  const { emitSkipped } = program.emit()
  expect(emitSkipped).toBe(false)
  symlinkSync(resolve('migrations'), join(root, 'migrations'))
  return root
}

async function exitCode(command: string[], env: Record<string, string>): Promise<number> {
  try {
    await run(command[0]!, command.slice(1), { env: { PATH: process.env.PATH, ...env }, timeout: 10_000 })
    return 0
  } catch (error) {
    return (error as { code?: number }).code ?? 1
  }
}

describe('the container', () => {
  it('listens where TOPICDESK_HTTP_HOST / TOPICDESK_HTTP_PORT say, and its HEALTHCHECK passes, then fails once it stops', async () => {
    const root = buildDist()
    const sim = await startSimulator()
    cleanups.push(() => sim.close())
    const database = await createTestDatabase()
    cleanups.push(() => database.close())
    const world = createSampleWorld(sim)
    // The file asks for an address no interface has: only the environment's 0.0.0.0 can start.
    const configFile = join(root, 'config.json')
    writeFileSync(configFile, JSON.stringify(sampleConfig(sim, world, database.url, { log: { level: 'info' }, http: { host: '192.0.2.1', port: 1 } })))
    const image = runtimeEnv()
    expect(image).toMatchObject({ TOPICDESK_HTTP_HOST: '0.0.0.0', TOPICDESK_HTTP_PORT: '9090' })
    // As `docker run -e TOPICDESK_HTTP_PORT=…` would (9090 may be taken on a shared machine).
    const env = { ...image, TOPICDESK_CONFIG: configFile, TOPICDESK_HTTP_PORT: String(await freePort()) }

    const service = spawn(process.execPath, [relative(root, join(root, 'dist/main.js'))], { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    cleanups.push(() => stop(service))
    await started(service)

    expect(await exitCode(healthcheckCommand(), env)).toBe(0)
    const metrics = await fetch(`http://127.0.0.1:${env.TOPICDESK_HTTP_PORT}/metrics`)
    expect(await metrics.text()).toContain('topicdesk_outbox_rows')
    await stop(service)
    expect(await exitCode(healthcheckCommand(), env)).toBe(1)
  })

  it('compose publishes the admin port, pins its images and carries a URL-encoded password', () => {
    const { topicdesk, mariadb } = compose.services
    const port = runtimeEnv().TOPICDESK_HTTP_PORT
    expect(topicdesk!.ports).toContainEqual(expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:\\$\\{TOPICDESK_ADMIN_PORT:-9090\\}:${port}$`)))
    expect(mariadb!.image).toMatch(/^mariadb:11\.4\.\d+$/)
    // Every image compose pulls names a version (the local Bot API server's tag is its Bot API version).
    const pulled = Object.values(compose.services).flatMap((service) => (service.image ? [service.image] : []))
    expect(pulled.length).toBeGreaterThan(1)
    for (const image of pulled) expect(image).toMatch(/^[\w./-]+:\d+(\.\d+)+$/)
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual([
      expect.stringMatching(/^node:22\.\d+\.\d+-bookworm-slim$/),
      expect.stringMatching(/^node:22\.\d+\.\d+-bookworm-slim$/),
    ])
    expect((JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node).toBe('>=20.19')

    // Every variable compose insists on is in .env.example.
    const example = readFileSync('.env.example', 'utf8')
    const required = [...readFileSync('deploy/compose.yaml', 'utf8').matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]!)
    expect(required.sort()).toEqual(['MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD'])
    for (const name of required) expect(example).toMatch(new RegExp(`^${name}=.+$`, 'm'))

    // The documented encoding gives the driver the password back, whatever it holds.
    const password = 'p@ss:w/rd?#%&é'
    const url = topicdesk!.environment!.DATABASE_URL!.replace('${MYSQL_PASSWORD_URLENCODED:-${MYSQL_PASSWORD}}', encodeURIComponent(password))
    const pool = createPool({ uri: url })
    expect((pool as unknown as { config: { connectionConfig: object } }).config.connectionConfig).toMatchObject({
      host: 'mariadb',
      user: 'topicdesk',
      password,
      database: 'topicdesk',
    })
    pool.end()
  })
})

function started(child: ChildProcess): Promise<void> {
  let output = ''
  return new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error(`dist/main.js did not start within 30 s:\n${output.slice(-3000)}`)), 30_000).unref()
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('topicdesk started')) resolve()
    })
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`dist/main.js exited with ${code}:\n${output.slice(-3000)}`)))
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
