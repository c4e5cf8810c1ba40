import type { AssistantSettings } from '../config/assistant.js'
import type { DbOrTx } from '../db/client.js'
import type { Customer } from '../domain/customers.js'
import type { ChunkEmbedder } from '../domain/knowledge/embeddings.js'
import { retrieve, type Passage } from '../domain/knowledge/index.js'
import { staffToClient } from '../domain/translation/language.js'
import type { AssistantJobContext } from './jobs/job.js'
import type { AssistantProvider } from './provider.js'
import { translateText } from './translate-text.js'

/** The project's embedding model as the knowledge sync uses it; undefined without `assistant.embedding`. */
export function knowledgeEmbedder(provider: AssistantProvider, settings: AssistantSettings | undefined): ChunkEmbedder | undefined {
  const model = settings?.embedding?.model
  return model ? { model, embed: (texts) => provider.embed(texts) } : undefined
}

/**
 * The passages for a question: hybrid when the project has an embedding model (the question
 * embedded first), FULLTEXT alone otherwise or when embedding the question fails (a slow
 * provider costs the ranking's half, not the passages). The question must be in the staff
 * language (see `passagesForJob`).
 */
export async function passagesFor(
  db: DbOrTx,
  provider: AssistantProvider,
  project: { id: number; config: { assistant?: AssistantSettings | undefined } },
  question: string,
  limit = 5,
): Promise<Passage[]> {
  const embedding = project.config.assistant?.embedding
    ? await provider.embed([question]).then(
        (vectors) => vectors?.[0],
        () => undefined,
      )
    : undefined
  return retrieve(db, project.id, question, { limit, ...(embedding ? { embedding } : {}) })
}

/**
 * The passages an assistant job works from. A client's question in a language the project
 * translates is looked up by its translation into the staff language (the knowledge base is
 * written in it; the translation is cached like any other); a failed translation looks up the
 * original.
 */
export async function passagesForJob(
  ctx: Pick<AssistantJobContext, 'deps' | 'project' | 'provider'>,
  question: string,
  options: { limit?: number; customer?: Pick<Customer, 'id' | 'detectedLanguage' | 'languageCode' | 'translationOff'> } = {},
): Promise<Passage[]> {
  const pair = options.customer ? staffToClient(ctx.project, options.customer) : undefined
  const lookedUp = pair
    ? await translateText(ctx, { customerId: options.customer!.id, text: question, from: pair.to, to: pair.from }).then(
        (translated) => translated.text,
        () => question,
      )
    : question
  return passagesFor(ctx.deps.db, ctx.provider, ctx.project, lookedUp, options.limit)
}
