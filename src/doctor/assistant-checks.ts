import { apiKeyEnvOf } from '../config/assistant.js'
import type { Config } from '../config/index.js'
import { fail, pass, type CheckRow } from './check.js'

/**
 * Each assistant endpoint of the config (chat and embedding, once per URL and model): does
 * `GET <baseUrl>/models` answer with the key, and list the configured model? A model it does not
 * list fails every call later (Ollama: not pulled; vLLM: another served name).
 */
export async function checkAssistant(config: Config): Promise<CheckRow[]> {
  const endpoints = new Map<string, { baseUrl: string; model: string; keyEnv: string | undefined; projects: string[] }>()
  for (const project of config.projects) {
    const settings = project.assistant
    if (!settings) continue
    const wanted = [{ baseUrl: settings.baseUrl, model: settings.model, keyEnv: apiKeyEnvOf(settings, 'chat') }]
    if (settings.embedding) wanted.push({ baseUrl: settings.embedding.baseUrl ?? settings.baseUrl, model: settings.embedding.model, keyEnv: apiKeyEnvOf(settings, 'embedding') })
    for (const { baseUrl, model, keyEnv } of wanted) {
      const key = `${baseUrl} ${model}`
      const entry = endpoints.get(key) ?? { baseUrl, model, keyEnv, projects: [] }
      entry.projects.push(project.key)
      endpoints.set(key, entry)
    }
  }
  return Promise.all([...endpoints.values()].map((endpoint) => checkEndpoint(endpoint)))
}

async function checkEndpoint({ baseUrl, model, keyEnv, projects }: { baseUrl: string; model: string; keyEnv: string | undefined; projects: string[] }): Promise<CheckRow> {
  const subject = `${baseUrl} ${model}`
  const apiKey = keyEnv ? process.env[keyEnv] : undefined
  let response: Response
  try {
    response = await fetch(`${baseUrl}/models`, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, signal: AbortSignal.timeout(5_000) })
  } catch {
    return fail('assistant', subject, 'does not answer', `check assistant.baseUrl of ${projects.join(', ')} and that the server runs`)
  }
  if (response.status === 401 || response.status === 403)
    return fail(
      'assistant',
      subject,
      `refuses the key (${response.status})`,
      `check the environment variable ${keyEnv ?? '(none: set assistant.apiKeyEnv or assistant.embedding.apiKeyEnv)'}`,
    )
  if (!response.ok) return fail('assistant', subject, `GET /models answered ${response.status}`, 'check assistant.baseUrl (it ends in /v1)')
  const listed = (((await response.json()) as { data?: Array<{ id?: string }> }).data ?? []).map((m) => m.id ?? '')
  // Ollama lists names with their tag (`llama3.2:latest` for `llama3.2`).
  if (listed.includes(model) || listed.includes(`${model}:latest`)) return pass('assistant', subject, 'answers and serves the model')
  return fail(
    'assistant',
    subject,
    `serves ${listed.join(', ') || 'no model'}, not ${model}`,
    'set assistant.model to a served name (Ollama: ollama pull it; vLLM: --served-model-name; llama.cpp: the id GET /v1/models lists)',
  )
}
