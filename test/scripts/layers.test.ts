import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

/**
 * The layer table of ARCHITECTURE.md is enforced by `npm run lint` (eslint.config.js,
 * eslint-plugin-boundaries): an upward import fails, an allowed one passes, and an import that
 * resolves to nothing is reported instead of being skipped. The texts are linted as if they were
 * files of the layer.
 */
let eslint: ESLint

beforeAll(() => {
  // npm run lint's config, with only the rules checked here: without the type-aware rules no
  // TypeScript program is built, so the texts lint in a moment.
  eslint = new ESLint({
    overrideConfigFile: 'eslint.config.js',
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
    ruleFilter: ({ ruleId }) => ruleId.startsWith('boundaries/') || ruleId === 'no-restricted-syntax',
  })
})

/** The boundaries messages `npm run lint` reports for this text at this path. */
async function layerErrors(filePath: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath })
  return result!.messages.filter((m) => m.ruleId?.startsWith('boundaries/') || m.ruleId === 'no-restricted-syntax' || m.fatal).map((m) => `${m.ruleId}: ${m.message}`)
}

describe('npm run lint enforces the layers', { timeout: 60_000 }, () => {
  it('fails when the domain imports grammY', async () => {
    const errors = await layerErrors('src/domain/clock.ts', "import { Bot } from 'grammy'\nexport const bot = new Bot('x')\n")
    expect(errors).toEqual([expect.stringMatching(/^boundaries\/dependencies: The domain never imports grammY/)])
  })

  it('fails when the domain imports a delivery internal', async () => {
    const errors = await layerErrors('src/domain/clock.ts', "export { startLaneWorker } from '../delivery/worker.js'\n")
    expect(errors).toEqual([expect.stringMatching(/^boundaries\/dependencies: .*"domain" to elements of type "delivery"/)])
  })

  it('fails when production code imports the simulator or the demo', async () => {
    const errors = await layerErrors('src/main.ts', "export { startSimulator } from './simulator/index.js'\nexport { runDemo } from './demo/story.js'\n")
    expect(errors).toEqual([expect.stringMatching(/"app" to elements of type "simulator"/), expect.stringMatching(/"app" to elements of type "demo"/)])
  })

  it('reports an import that resolves to no file instead of skipping it', async () => {
    const errors = await layerErrors('src/domain/clock.ts', "export { nothing } from './no-such-file.js'\n")
    expect(errors).toContain('boundaries/no-unknown-dependencies: Dependencies to unknown elements and files are not allowed')
  })

  it('passes for imports the table allows (`.js` suffixes resolve to the `.ts` files)', async () => {
    const text = [
      "export type { OutboxJob } from '../delivery/jobs.js'",
      "export { encodeDestination } from '../delivery/destination.js'",
      "export type { DbOrTx } from '../db/client.js'",
      "export { systemClock } from './clock.js'",
      '',
    ].join('\n')
    expect(await layerErrors('src/domain/deps.ts', text)).toEqual([])
  })

  it('fails on a hand-written project filter outside inProject, in the domain and elsewhere', async () => {
    const text = [
      "import { and, eq, inArray } from 'drizzle-orm'",
      "import { topics } from '../db/schema/index.js'",
      'export const one = and(eq(topics.projectId, 1), eq(topics.id, 2))',
      'export const some = inArray(topics.projectId, [1, 2])',
      '',
    ].join('\n')
    const filter = /^no-restricted-syntax: A statement is limited to its project with inProject/
    expect(await layerErrors('src/domain/deps.ts', text)).toEqual([expect.stringMatching(filter), expect.stringMatching(filter)])
    expect(await layerErrors('src/cron/retention.ts', text)).toEqual([expect.stringMatching(filter), expect.stringMatching(filter)])
  })

  it('passes for filters through inProject, and inside the helper itself', async () => {
    const text = [
      "import { eq } from 'drizzle-orm'",
      "import { inProject } from '../db/project-scope.js'",
      "import { topics } from '../db/schema/index.js'",
      'export const one = inProject(topics, 1, eq(topics.id, 2))',
      '',
    ].join('\n')
    expect(await layerErrors('src/domain/deps.ts', text)).toEqual([])
    expect(
      await layerErrors('src/db/project-scope.ts', "import { eq } from 'drizzle-orm'\nimport { topics } from './schema/index.js'\nexport const c = eq(topics.projectId, 1)\n"),
    ).toEqual([])
  })

  it('fails on a projectId written into an insert’s values, passes for projectRow', async () => {
    const text = [
      "import { projectRow } from '../db/project-scope.js'",
      "import { customerTags } from '../db/schema/index.js'",
      "import type { DbOrTx } from '../db/client.js'",
      'export const add = (tx: DbOrTx) => tx.insert(customerTags).values({ projectId: 1, customerId: 2, tag: "vip" })',
      'export const addAll = (tx: DbOrTx) => tx.insert(customerTags).values([3, 4].map((customerId) => ({ projectId: 1, customerId, tag: "vip" })))',
      'export const scoped = (tx: DbOrTx) => tx.insert(customerTags).values(projectRow(customerTags, 1, { customerId: 2, tag: "vip" }))',
      '',
    ].join('\n')
    const row = /^no-restricted-syntax: A new row names its project with projectRow/
    expect(await layerErrors('src/domain/deps.ts', text)).toEqual([expect.stringMatching(row), expect.stringMatching(row)])
    expect(await layerErrors('src/cron/retention.ts', text)).toEqual([expect.stringMatching(row), expect.stringMatching(row)])
  })

  it('fails when the domain reads the system time instead of its clock', async () => {
    const errors = await layerErrors('src/domain/deps.ts', 'export const at = new Date()\nexport const ms = Date.now()\nexport const then = new Date(0)\n')
    expect(errors).toEqual([expect.stringMatching(/^no-restricted-syntax: .*not new Date\(\)/), expect.stringMatching(/^no-restricted-syntax: .*not Date\.now\(\)/)])
  })
})
