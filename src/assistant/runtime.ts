import type { Database } from '../db/client.js'
import { alarmAssistantFailing } from '../domain/assistant/alarm.js'
import type { DomainDeps } from '../domain/deps.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import { createOpenAIProvider } from './openai-provider.js'
import { disabledProvider, isProviderFailure, type AssistantObserver, type AssistantProvider } from './provider.js'

export interface AssistantRuntimeDeps {
  db: Database
  domain: DomainDeps
  observer?: AssistantObserver
}

/** The providers of the app's projects, one per project, made on first use; a failing one alarms its leads (once an hour). */
export class AssistantRuntime {
  private readonly providers = new Map<number, AssistantProvider>()

  constructor(private readonly deps: AssistantRuntimeDeps) {}

  /** The project's provider; one that says `disabled` for a project without an assistant. */
  providerFor(project: ProjectRuntime): AssistantProvider {
    const settings = project.config.assistant
    if (!settings) return disabledProvider
    let provider = this.providers.get(project.id)
    if (!provider) {
      const { db, domain, observer } = this.deps
      provider = createOpenAIProvider({ id: project.id, key: project.config.key }, settings, {
        db,
        clock: domain.clock,
        observer,
        onFailure: (reason) => {
          if (isProviderFailure(reason)) void alarmAssistantFailing(domain, project, reason)
        },
      })
      this.providers.set(project.id, provider)
    }
    return provider
  }
}
