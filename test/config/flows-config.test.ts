import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ConfigError, createConfig, loadConfig } from '../../src/config/index.js'
import { checkFlows, flowsSchema } from '../../src/config/flows.js'

const dir = mkdtempSync(join(tmpdir(), 'topicdesk-flows-'))
const project = (extra: object) => ({
  key: 'acme',
  name: 'Acme',
  bots: { client: '1:a', cs: '2:b', cr: '3:c' },
  groups: { cs: { chatId: -1001 }, cr: [{ key: 'north', title: 'North', chatId: -1002 }] },
  ...extra,
})
const configWith = (extra: object) => ({ database: { url: 'mysql://u:p@127.0.0.1:3306/db' }, projects: [project(extra)] })
const inquiry = (orderButtonNext: string) => ({
  flows: {
    inquiry: {
      command: 'inquiry',
      steps: [
        { id: 'product', say: 'Which product?', ask: 'product', next: 'order' },
        { id: 'order', say: 'Order number?', ask: 'order', next: 'done' },
        { id: 'done', say: 'Thanks!', buttons: [{ text: 'Back', next: orderButtonNext }] },
      ],
    },
  },
})
const refusal = (load: () => unknown): string => {
  try {
    load()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('the config was accepted')
}

describe('auto-replies and flows in the config', () => {
  it('reads a flows file relative to the config file', () => {
    writeFileSync(join(dir, 'flows.yaml'), JSON.stringify(inquiry('order')))
    writeFileSync(join(dir, 'good.yaml'), JSON.stringify(configWith({ flowsFile: 'flows.yaml' })))
    const config = loadConfig(join(dir, 'good.yaml'), {})
    expect(config.projects[0]!.flows?.inquiry?.steps.map((s) => s.id)).toEqual(['product', 'order', 'done'])
  })

  it('refuses a broken flows file with the path of the bad node', () => {
    writeFileSync(join(dir, 'broken.yaml'), JSON.stringify(inquiry('ordr')))
    writeFileSync(join(dir, 'config.yaml'), JSON.stringify(configWith({ flowsFile: 'broken.yaml' })))
    expect(refusal(() => loadConfig(join(dir, 'config.yaml'), {}))).toContain('projects.0.flowsFile (broken.yaml): flows.inquiry.steps[2].buttons[0].next: no step "ordr"')
    writeFileSync(join(dir, 'bad-shape.yaml'), 'flows:\n  inquiry:\n    steps:\n      - id: Bad Name\n        say: hi\n')
    writeFileSync(join(dir, 'config2.yaml'), JSON.stringify(configWith({ flowsFile: 'bad-shape.yaml' })))
    expect(refusal(() => loadConfig(join(dir, 'config2.yaml'), {}))).toMatch(/flows\.inquiry\.steps\[0\]\.id: a short name/)
    writeFileSync(join(dir, 'config3.yaml'), JSON.stringify(configWith({ flowsFile: 'missing.yaml' })))
    expect(refusal(() => loadConfig(join(dir, 'config3.yaml'), {}))).toMatch(/projects\.0\.flowsFile \(missing\.yaml\): cannot read it/)
  })

  it('refuses an auto-reply button to a missing flow, a bad pattern, and a match with neither keywords nor regex', () => {
    const message = refusal(() =>
      createConfig(
        configWith({
          autoReplies: [
            { match: { keywords: ['hours'] }, reply: 'We are open 9–18.', buttons: [{ text: 'Ask', flow: 'nope' }] },
            { match: { regex: '/(unclosed/' }, reply: 'x' },
            { match: {}, reply: 'x' },
          ],
        }),
      ),
    )
    expect(message).toContain('projects.0.autoReplies.1.match.regex: a valid regular expression (RE2 syntax)')
    expect(message).toContain('projects.0.autoReplies.2.match: either keywords or regex')
    // References are checked once the shapes are valid.
    expect(refusal(() => createConfig(configWith({ autoReplies: [{ match: { keywords: ['hours'] }, reply: 'x', buttons: [{ text: 'Ask', flow: 'nope' }] }] })))).toContain(
      'projects.0.autoReplies[0].buttons[0].flow: no flow "nope"',
    )
  })

  it('accepts the sample flows file and the README sample', () => {
    const sample = parse(readFileSync('config/flows.example.yaml', 'utf8')) as { flows: unknown }
    expect(checkFlows(flowsSchema.parse(sample.flows), [])).toEqual([])
    const readme = readFileSync('README.md', 'utf8')
    const section = readme.slice(readme.indexOf('## Auto-replies and flows'))
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1]
    const fromReadme = parse(block ?? '') as { flows: unknown; autoReplies?: unknown }
    expect(checkFlows(flowsSchema.parse(fromReadme.flows), [])).toEqual([])
  })
})
