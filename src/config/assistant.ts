import { z } from 'zod'
import { knowledgeFields } from './knowledge.js'
import { ASSISTANT_MODE_DEFAULTS, modeFields, type AssistantModeSettings } from './assistant-modes.js'

const baseUrl = z
  .string()
  .url()
  .regex(/^https?:\/\/.*[^/]$/, 'an http(s) URL without a trailing slash, like http://localhost:11434/v1')

/** A separate embedding endpoint (llama.cpp's server and vLLM serve one model per process). */
const embeddingSchema = z.strictObject({
  /** Absent: the chat endpoint's `baseUrl`. */
  baseUrl: baseUrl.optional(),
  model: z.string().min(1),
  /** The embedding server's own key variable; absent: the chat key on the chat endpoint's host, no key on another host. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable, like EMBEDDING_API_KEY')
    .optional(),
})

const settings = {
  /** An OpenAI-compatible endpoint: https://api.openai.com/v1, Ollama's http://localhost:11434/v1, a llama.cpp or vLLM server's /v1. */
  baseUrl,
  model: z.string().min(1),
  /** The environment variable holding the API key (never the key itself); absent: the server needs none (a local Ollama). */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable, like OPENAI_API_KEY')
    .optional(),
  /** One provider call's limit (streaming: the whole stream); a call that takes longer costs its job only. */
  timeoutSeconds: z.number().positive().max(600),
  /** Tokens (prompt and completion, as the provider counts them) a project may spend per UTC day. */
  maxTokensPerDay: z.number().int().positive(),
  embedding: embeddingSchema.optional(),
  // The knowledge base's keys (h/kb) and the modes' (h/suggest, h/answer).
  ...knowledgeFields,
  ...modeFields,
}

/** `assistant`: the deployment-wide provider; every project with no `assistant` of its own uses it. */
export const assistantSchema = z
  .strictObject({
    ...settings,
    ...modeFields,
    timeoutSeconds: settings.timeoutSeconds.default(30),
    maxTokensPerDay: settings.maxTokensPerDay.default(200_000),
    confidence: knowledgeFields.confidence,
  })
  .optional()

/** `projects[].assistant`: overrides the deployment's keys one by one; `false`: no assistant for this project. */
export const projectAssistantSchema = z
  .union([
    z.literal(false),
    z.strictObject({
      baseUrl: settings.baseUrl.optional(),
      model: settings.model.optional(),
      apiKeyEnv: settings.apiKeyEnv,
      timeoutSeconds: settings.timeoutSeconds.optional(),
      maxTokensPerDay: settings.maxTokensPerDay.optional(),
      embedding: embeddingSchema.optional(),
      // The knowledge base (h/kb): its folder and confidence threshold; the modes (h/suggest, h/answer).
      ...knowledgeFields,
      ...modeFields,
    }),
  ])
  .optional()

/** A project's provider after merging: what `src/assistant/provider.ts` connects to. */
export interface AssistantSettings extends AssistantModeSettings {
  baseUrl: string
  model: string
  apiKeyEnv?: string
  timeoutSeconds: number
  maxTokensPerDay: number
  embedding?: { baseUrl?: string; model: string; apiKeyEnv?: string }
  /** The knowledge folder (absolute after loading) and the confidence threshold (see `src/config/knowledge.ts`). */
  knowledge?: string
  confidence?: number
  /** What the assistant does for the project's customers, and per CR team (config/assistant-modes.ts). */
  mode: 'off' | 'suggest' | 'answer'
  teams?: Record<string, 'off' | 'suggest' | 'answer'>
}

type Deployment = z.infer<typeof assistantSchema>
type ProjectOverride = z.infer<typeof projectAssistantSchema>

/** The project's keys over the deployment's; undefined when neither names an endpoint and a model, or the project says `false`. */
export function mergeAssistant(deployment: Deployment, project: ProjectOverride): AssistantSettings | { missing: string[] } | undefined {
  if (project === false || (!deployment && !project)) return undefined
  const merged = { timeoutSeconds: 30, maxTokensPerDay: 200_000, ...ASSISTANT_MODE_DEFAULTS, ...dropUndefined(deployment ?? {}), ...dropUndefined(project ?? {}) }
  const missing = (['baseUrl', 'model'] as const).filter((key) => merged[key] === undefined)
  if (missing.length > 0) return { missing }
  return merged as AssistantSettings
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** The env var names a resolved assistant reads its key from and finds unset (checked at start-up). */
export function missingApiKey(settings: AssistantSettings, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (settings.apiKeyEnv && !env[settings.apiKeyEnv]) return settings.apiKeyEnv
  const embeddingKey = settings.embedding?.apiKeyEnv
  if (embeddingKey && !env[embeddingKey]) return embeddingKey
  return undefined
}

type Parsed = { assistant?: Deployment; projects: Array<{ key: string; assistant?: ProjectOverride }> }

/** Every project's merged assistant names an endpoint and a model, and its key's env var is set (a clear error at start-up). */
export function checkAssistants(config: Parsed, ctx: z.RefinementCtx): void {
  config.projects.forEach((project, i) => {
    const merged = mergeAssistant(config.assistant, project.assistant)
    if (!merged) return
    if ('missing' in merged) {
      for (const key of merged.missing)
        ctx.addIssue({ code: 'custom', path: ['projects', i, 'assistant', key], message: `the assistant needs ${key} (here or in the deployment's assistant)` })
      return
    }
    const unset = missingApiKey(merged)
    if (unset)
      ctx.addIssue({
        code: 'custom',
        path: project.assistant && project.assistant.apiKeyEnv ? ['projects', i, 'assistant', 'apiKeyEnv'] : ['assistant', 'apiKeyEnv'],
        message: `the environment variable ${unset} (the assistant's API key of project "${project.key}") is not set; set it, or remove apiKeyEnv for a server that needs no key`,
      })
  })
}

/** The project's merged assistant (called after `checkAssistants` passed). */
export function resolveAssistants(config: Parsed, project: { assistant?: ProjectOverride }): AssistantSettings | undefined {
  const merged = mergeAssistant(config.assistant, project.assistant)
  return merged && !('missing' in merged) ? merged : undefined
}

/**
 * The environment variable of the key an endpoint is sent: the chat key goes to the chat
 * endpoint's host only, so an embedding server elsewhere gets its own key or none.
 */
export function apiKeyEnvOf(settings: Pick<AssistantSettings, 'baseUrl' | 'apiKeyEnv' | 'embedding'>, endpoint: 'chat' | 'embedding'): string | undefined {
  if (endpoint === 'chat' || !settings.embedding) return settings.apiKeyEnv
  if (settings.embedding.apiKeyEnv) return settings.embedding.apiKeyEnv
  const host = settings.embedding.baseUrl ? new URL(settings.embedding.baseUrl).origin : new URL(settings.baseUrl).origin
  return host === new URL(settings.baseUrl).origin ? settings.apiKeyEnv : undefined
}
