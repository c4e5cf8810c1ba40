import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config/index.js'
import type { Database } from '../db/client.js'
import type { AssistantSettings } from '../config/assistant.js'
import { knowledgeEmbedder, passagesFor } from '../assistant/knowledge.js'
import { createOpenAIProvider } from '../assistant/openai-provider.js'
import { disabledProvider } from '../assistant/provider.js'
import { systemClock } from '../domain/clock.js'
import { citationOf, isConfident, syncKnowledge } from '../domain/knowledge/index.js'
import { NO_PROJECT, projectIdOf } from './project-option.js'
import { configPathOf, fail, runWhenMain, withDatabase, writeLine, type CliIo } from './run-cli.js'

const usage = [
  'usage: npm run kb -- sync --project <key> [--folder <path>]   (the folder: projects[].assistant.knowledge of TOPICDESK_CONFIG or config/topicdesk.yaml)',
  '       npm run kb -- search --project <key> <question …>      (the passages a question finds, with their scores)',
].join('\n')

/** `npm run kb -- sync|search`: a project's knowledge base (see domain/knowledge), against DATABASE_URL. */
async function kbCommand(db: Database, argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { project: { type: 'string' }, folder: { type: 'string' } } })
  const [command, ...words] = positionals
  if (!values.project) return fail(io, usage, 2)
  const projectId = await projectIdOf(db, values.project)
  if (projectId === null) return fail(io, NO_PROJECT(values.project), 2)
  if (command === 'sync' && words.length === 0) {
    const configured = configuredAssistant(values.project, io.env)
    if (configured instanceof Error && values.folder === undefined) return fail(io, configured.message, 2)
    const settings = configured instanceof Error ? undefined : configured
    const folder = values.folder ?? settings?.knowledge
    if (!folder) return fail(io, `Project ${values.project} has no knowledge folder: set projects[].assistant.knowledge in the config, or give --folder.`, 2)
    // Embedded by the project's embedding model when the config names one (its tokens counted like the service's).
    const embedder = knowledgeEmbedder(providerOf(db, { id: projectId, key: values.project }, settings), settings)
    const report = await syncKnowledge(db, projectId, folder, embedder ? { embedder } : {}).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return new Error(`The knowledge folder ${folder} does not exist.`)
      throw error
    })
    if (report instanceof Error) return fail(io, report.message, 1)
    writeLine(
      io.stdout,
      `Knowledge base of ${values.project} synced from ${folder}: ${report.files} file(s), ${report.inserted} passage(s) added, ${report.deleted} removed, ${report.unchanged} unchanged${embedder ? `, ${report.embedded} embedded` : ''}.`,
    )
    if (report.embeddingFailed) writeLine(io.stderr, `Embedding stopped after ${report.embedded} passage(s): ${report.embeddingFailed}. The next sync goes on.`)
    for (const file of report.broken) writeLine(io.stderr, `Refused ${file.source}: ${file.reason} (its earlier passages are kept).`)
    return report.broken.length ? 1 : 0
  }
  if (command === 'search' && words.length > 0) {
    const configured = configuredAssistant(values.project, io.env)
    const settings = configured instanceof Error ? undefined : configured
    const project = { id: projectId, config: { assistant: settings } }
    const passages = await passagesFor(db, providerOf(db, { id: projectId, key: values.project }, settings), project, words.join(' '), 5)
    const confident = isConfident(project, passages)
    for (const passage of passages) writeLine(io.stdout, `${passage.score.toFixed(3)}  #${passage.id}  ${citationOf(passage)}`)
    writeLine(io.stdout, passages.length ? `Confident: ${confident ? 'yes' : 'no'}` : 'No passage found.')
    return 0
  }
  return fail(io, usage, 2)
}

/** The project's provider for embeddings (none without an assistant). */
function providerOf(db: Database, project: { id: number; key: string }, settings: AssistantSettings | undefined) {
  return settings ? createOpenAIProvider(project, settings, { db, clock: systemClock }) : disabledProvider
}

/** The project's merged `assistant` settings from the service's config file (undefined: none), or why they cannot be read. */
function configuredAssistant(key: string, env: NodeJS.ProcessEnv): AssistantSettings | undefined | Error {
  const path = configPathOf(env)
  try {
    return loadConfig(path, env).projects.find((project) => project.key === key)?.assistant
  } catch (error) {
    if (error instanceof ConfigError) return new Error(`kb reads projects[].assistant from the config: ${error.message}`)
    throw error
  }
}

export const kbCli = withDatabase(kbCommand)
runWhenMain(import.meta.url, kbCli)
