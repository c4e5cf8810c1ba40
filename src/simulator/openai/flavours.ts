/**
 * What differs between the OpenAI-compatible servers the assistant must work with, as their
 * documentation and sources say (read, not run: no model runs on these machines). Each rule names
 * its source. What they share (the `/v1` paths, SSE chunks ending with `data: [DONE]`, the
 * `choices[].delta.content` stream, `usage` in the last chunk when `stream_options.include_usage`
 * is set) is in `server.ts`.
 *
 * - openai: https://platform.openai.com/docs/api-reference (chat, embeddings, models, errors).
 * - ollama: https://docs.ollama.com/api/openai-compatibility (github ollama/ollama docs/openai.md).
 * - llamacpp: llama.cpp's `llama-server`, tools/server/README.md and server.cpp (github ggml-org/llama.cpp).
 * - vllm: https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html and its `serving_engine.py`.
 */
export type Flavour = 'openai' | 'ollama' | 'llamacpp' | 'vllm'

export interface FlavourOptions {
  flavour: Flavour
  /** The served chat model (llama.cpp and vLLM serve exactly one model per process). */
  model: string
  /** The served embedding model (openai, ollama: beside the chat model; llamacpp, vllm: see `embeddingServer`). */
  embeddingModel?: string
  /**
   * llamacpp: started with `--embeddings` (then it serves embeddings only); vllm: an embedding
   * model's process (`--task embed`). Either serves no chat then: a separate process, hence
   * `assistant.embedding.baseUrl`.
   */
  embeddingServer?: boolean
  /** The key the server was started with (openai: always one; llamacpp, vllm: `--api-key`; ollama ignores keys). */
  apiKey?: string
}

export interface Refusal {
  status: number
  body: unknown
}

/** The error body of a flavour (each wraps its errors its own way). */
export function errorBody(flavour: Flavour, status: number, message: string): unknown {
  switch (flavour) {
    // OpenAI: {"error": {"message", "type", "param", "code"}} (API reference, "Error codes").
    case 'openai':
      return { error: { message, type: status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } }
    // Ollama's /v1 middleware answers OpenAI's shape with type "api_error" for server errors (openai/openai.go NewError).
    case 'ollama':
      return { error: { message, type: status === 404 ? 'not_found_error' : status === 400 ? 'invalid_request_error' : 'api_error', param: null, code: null } }
    // llama.cpp: {"error": {"code", "message", "type"}} with the HTTP status as code (server utils format_error_response).
    case 'llamacpp':
      return { error: { code: status, message, type: status === 501 ? 'not_supported_error' : status === 401 ? 'authentication_error' : 'server_error' } }
    // vLLM: a top-level {"object": "error", "message", "type", "param", "code"} (protocol.py ErrorResponse).
    case 'vllm':
      return { object: 'error', message, type: status === 404 ? 'NotFoundError' : status === 400 ? 'BadRequestError' : 'InternalServerError', param: null, code: status }
  }
}

/** The key check: undefined when the request may go on. */
export function checkKey(options: FlavourOptions, authorization: string | undefined): Refusal | undefined {
  const given = authorization?.replace(/^Bearer\s+/i, '')
  switch (options.flavour) {
    // OpenAI: every request needs `Authorization: Bearer <key>`, else 401 (API reference, "Authentication").
    case 'openai':
      if (!given) return { status: 401, body: errorBody('openai', 401, "You didn't provide an API key.") }
      if (options.apiKey && given !== options.apiKey) return { status: 401, body: errorBody('openai', 401, 'Incorrect API key provided.') }
      return undefined
    // Ollama: the key is "required but ignored" (docs: the client needs one, the server never checks it).
    case 'ollama':
      return undefined
    // llama.cpp: checked only when started with `--api-key`: 401 "Invalid API Key" (server README, `--api-key`).
    case 'llamacpp':
      return options.apiKey && given !== options.apiKey ? { status: 401, body: errorBody('llamacpp', 401, 'Invalid API Key') } : undefined
    // vLLM: checked only when started with `--api-key`: 401 {"error": "Unauthorized"} (docs, `--api-key`; api_server.py).
    case 'vllm':
      return options.apiKey && given !== options.apiKey ? { status: 401, body: { error: 'Unauthorized' } } : undefined
  }
}

/** Whether the request's model is served: undefined when yes, else the flavour's refusal. */
export function checkModel(options: FlavourOptions, endpoint: 'chat' | 'embeddings', model: unknown): Refusal | undefined {
  const { flavour } = options
  const name = typeof model === 'string' ? model : ''
  if (flavour === 'llamacpp') {
    // One model, loaded at start: the request's `model` is not checked (server README). `--embeddings`
    // restricts the server to embeddings; without it, no embeddings (server.cpp, ERROR_TYPE_NOT_SUPPORTED = 501).
    if (endpoint === 'embeddings' && !options.embeddingServer)
      return { status: 501, body: errorBody(flavour, 501, 'This server does not support embeddings. Start it with `--embeddings`') }
    if (endpoint === 'chat' && options.embeddingServer)
      return { status: 501, body: errorBody(flavour, 501, 'This server does not support completions. Start it without `--embeddings`') }
    return undefined
  }
  if (flavour === 'vllm') {
    // One served model name per process; any other: 404 "The model `x` does not exist." (serving_engine.py _check_model).
    const served = options.embeddingServer ? (options.embeddingModel ?? options.model) : options.model
    if (name !== served) return { status: 404, body: errorBody(flavour, 404, `The model \`${name}\` does not exist.`) }
    // A generative model serves no embeddings, a pooling one no chat (docs, "Supported APIs": per model task).
    if (endpoint === 'embeddings' && !options.embeddingServer) return { status: 400, body: errorBody(flavour, 400, 'The model does not support Embeddings API') }
    if (endpoint === 'chat' && options.embeddingServer) return { status: 400, body: errorBody(flavour, 400, 'The model does not support Chat Completions API') }
    return undefined
  }
  const served = endpoint === 'chat' ? [options.model] : [options.embeddingModel ?? options.model]
  if (flavour === 'ollama') {
    // Ollama names carry a tag, `:latest` when none is given; a model not pulled: 404 `model "x" not found, try pulling it first` (server/routes.go).
    const known = served.flatMap((m) => [m, `${m}:latest`])
    return known.includes(name) ? undefined : { status: 404, body: errorBody(flavour, 404, `model "${name}" not found, try pulling it first`) }
  }
  // OpenAI: an unknown model is 404 `model_not_found` (API reference, "Error codes").
  if (served.includes(name)) return undefined
  return {
    status: 404,
    body: { error: { message: `The model \`${name}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } },
  }
}

/** `GET /v1/models`: the models a flavour lists, and how. */
export function modelList(options: FlavourOptions): unknown {
  const created = 1_700_000_000
  const names =
    options.flavour === 'llamacpp' || options.flavour === 'vllm'
      ? [options.embeddingServer ? (options.embeddingModel ?? options.model) : options.model]
      : [options.model, ...(options.embeddingModel ? [options.embeddingModel] : [])]
  // owned_by: "openai"/"system" (OpenAI), "library" (Ollama's /v1/models), "llamacpp" (llama-server), "vllm" (vLLM's ModelCard).
  const ownedBy = { openai: 'system', ollama: 'library', llamacpp: 'llamacpp', vllm: 'vllm' }[options.flavour]
  return {
    object: 'list',
    data: names.map((id) => ({
      id: options.flavour === 'ollama' && !id.includes(':') ? `${id}:latest` : id,
      object: 'model',
      created,
      owned_by: ownedBy,
      // vLLM lists the model's context length (ModelCard.max_model_len).
      ...(options.flavour === 'vllm' ? { root: id, parent: null, max_model_len: 8192 } : {}),
    })),
  }
}

/** Extra fields of a flavour's last stream chunk: llama.cpp adds its `timings` (server README, "/v1/chat/completions"). */
export function lastChunkExtras(flavour: Flavour, completionTokens: number): Record<string, unknown> {
  if (flavour !== 'llamacpp') return {}
  return { timings: { prompt_n: 0, prompt_ms: 1, predicted_n: completionTokens, predicted_ms: completionTokens } }
}

/** `system_fingerprint` of a completion: Ollama sends "fp_ollama" (openai/openai.go); the others none here. */
export function fingerprint(flavour: Flavour): string | undefined {
  return flavour === 'ollama' ? 'fp_ollama' : undefined
}
