import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config/index.js'
import type { Database } from '../db/client.js'
import { citationOf, isConfident, retrieve, syncKnowledge } from '../domain/knowledge/index.js'
import { NO_PROJECT, projectIdOf } from './project-option.js'
import { runWithDatabase } from './run-cli.js'

const usage = [
  'usage: npm run kb -- sync --project <key> [--folder <path>]   (the folder: projects[].assistant.knowledge of TOPICDESK_CONFIG or config/topicdesk.yaml)',
  '       npm run kb -- search --project <key> <question …>      (the passages a question finds, with their scores)',
].join('\n')

/** `npm run kb -- sync|search`: a project's knowledge base (see domain/knowledge), against DATABASE_URL. */
async function kbCommand(db: Database, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { project: { type: 'string' }, folder: { type: 'string' } } })
  const [command, ...words] = positionals
  if (!values.project) return fail(usage, 2)
  const projectId = await projectIdOf(db, values.project)
  if (projectId === null) return fail(NO_PROJECT(values.project), 2)
  if (command === 'sync' && words.length === 0) {
    const settings = values.folder === undefined ? configuredAssistant(values.project) : { knowledge: values.folder }
    if (settings instanceof Error) return fail(settings.message, 2)
    if (!settings.knowledge) return fail(`Project ${values.project} has no knowledge folder: set projects[].assistant.knowledge in the config, or give --folder.`, 2)
    const report = await syncKnowledge(db, projectId, settings.knowledge).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return new Error(`The knowledge folder ${settings.knowledge} does not exist.`)
      throw error
    })
    if (report instanceof Error) return fail(report.message, 1)
    console.log(
      `Knowledge base of ${values.project} synced from ${settings.knowledge}: ${report.files} file(s), ${report.inserted} passage(s) added, ${report.deleted} removed, ${report.unchanged} unchanged.`,
    )
    for (const file of report.broken) console.error(`Refused ${file.source}: ${file.reason} (its earlier passages are kept).`)
    return report.broken.length ? 1 : 0
  }
  if (command === 'search' && words.length > 0) {
    const passages = await retrieve(db, projectId, words.join(' '), { limit: 5 })
    const settings = configuredAssistant(values.project)
    const confident = isConfident({ assistant: settings instanceof Error ? undefined : settings }, passages)
    for (const passage of passages) console.log(`${passage.score.toFixed(3)}  #${passage.id}  ${citationOf(passage)}`)
    console.log(passages.length ? `Confident: ${confident ? 'yes' : 'no'}` : 'No passage found.')
    return 0
  }
  return fail(usage, 2)
}

/** The project's `assistant` settings from the service's config file, or why they cannot be read. */
function configuredAssistant(key: string): { knowledge?: string | undefined; confidence?: number | undefined } | Error {
  const path = process.env.TOPICDESK_CONFIG ?? 'config/topicdesk.yaml'
  try {
    return loadConfig(path).projects.find((project) => project.key === key)?.assistant ?? {}
  } catch (error) {
    if (error instanceof ConfigError) return new Error(`kb reads projects[].assistant from the config: ${error.message}`)
    throw error
  }
}

function fail(message: string, code: number): number {
  console.error(message)
  return code
}

runWithDatabase(kbCommand)
