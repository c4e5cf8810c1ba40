export { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions, type RecordedRequest } from './server.js'
export type { Flavour } from './flavours.js'
export { DONT_KNOW } from './answers.js'
export { embedText, EMBEDDING_DIMENSIONS } from './embeddings.js'
