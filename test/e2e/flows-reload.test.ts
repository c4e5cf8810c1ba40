import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/index.js'
import { capturedLogger } from '../support/captured-log.js'
import { useOnboardedZoe } from '../support/suite.js'

// Issue 18: flows are re-read with the config; a broken flows file keeps the old flows.
const dir = mkdtempSync(join(tmpdir(), 'topicdesk-flows-reload-'))
const log = capturedLogger('info')
const { h } = useOnboardedZoe({ logger: log.logger, start: { configSource: () => loadConfig(join(dir, 'config.yaml'), {}) } })

const writeFlows = (say: string, next?: string) =>
  writeFileSync(join(dir, 'flows.yaml'), JSON.stringify({ flows: { hello: { command: 'hello', steps: [{ id: 'hi', say, ...(next ? { next } : {}) }] } } }))
const writeConfig = () => {
  const [project, ...rest] = h.config.projects
  writeFileSync(join(dir, 'config.yaml'), JSON.stringify({ ...h.config, projects: [{ ...project, flowsFile: 'flows.yaml' }, ...rest] }))
}
const greetings = (say: string) => h.sim.privateMessages(h.world.people.zoe.id, h.world.bots.client.id).filter((m) => m.text === say)
/** Zoe types /hello; resolves once the bot answered `say` once more. */
async function helloAnswers(say: string): Promise<void> {
  const before = greetings(say).length
  h.sim.sendPrivate(h.world.people.zoe.id, h.world.bots.client.id, { text: '/hello' })
  await h.sim.waitFor(() => greetings(say).length > before, { message: `the flow saying "${say}"` })
}

describe('reloading flows', () => {
  it('takes a changed flows file on reload, and keeps the old flows when the new file is broken (logged with the bad node)', async () => {
    writeFlows('Hello from the first flows file.')
    writeConfig()
    expect((await h.app.reloadRosters()).ok).toBe(true)
    await helloAnswers('Hello from the first flows file.')

    writeFlows('Hello from a broken file.', 'nowhere')
    const refused = await h.app.reloadRosters()
    expect(refused).toMatchObject({ ok: false })
    expect(!refused.ok && refused.reason).toContain('projects.0.flowsFile (flows.yaml): flows.hello.steps[0].next: no step "nowhere"')
    expect(
      JSON.stringify(
        log
          .lines()
          .filter((line) => line.msg === 'roster reload refused; the old rosters stay')
          .at(-1),
      ),
    ).toContain('no step \\"nowhere\\"')
    await helloAnswers('Hello from the first flows file.')

    writeFlows('Hello from the fixed file.')
    expect((await h.app.reloadRosters()).ok).toBe(true)
    await helloAnswers('Hello from the fixed file.')
  })
})
