import type { AssistantSettings } from '../config/assistant.js'
import type { DbOrTx } from '../db/client.js'
import type { ChunkEmbedder } from '../domain/knowledge/embeddings.js'
import { retrieve, type Passage } from '../domain/knowledge/index.js'
import type { AssistantProvider } from './provider.js'

/** The project's embedding model as the knowledge sync uses it; undefined without `assistant.embedding`. */
export function knowledgeEmbedder(provider: AssistantProvider, settings: AssistantSettings | undefined): ChunkEmbedder | undefined {
  const model = settings?.embedding?.model
  return model ? { model, embed: (texts) => provider.embed(texts) } : undefined
}

/**
 * The passages for a question, as assistant jobs ask for them: hybrid when the project has an
 * embedding model (the question embedded first), FULLTEXT alone otherwise or when embedding the
 * question fails (a slow provider costs the ranking's half, not the passages). For a client
 * writing in another language, pass the question's translation into the staff language.
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
