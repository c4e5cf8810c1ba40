import type { ProjectRuntime } from '../../project-runtime.js'
import { banPolicy } from './ban.js'
import { floodPolicy } from './flood.js'
import type { RelayPolicy } from './policy.js'
import { riskPolicy } from './risk.js'
import { translationPolicy } from '../../translation/policy.js'

export type { CopyTarget, CopyVariant, PolicyVerdict, RelayDraft, RelayPolicy, RelaySource, VariantEntity } from './policy.js'

/** The policies every project runs first, in order: a ban wins over the flood limit; risk phrases check staff messages; a staff reply waits for its translation last. */
export const BUILT_IN_POLICIES: readonly RelayPolicy[] = [banPolicy, floodPolicy, riskPolicy, translationPolicy]

/** A project's policies in the order they run: the built-in ones, then those the app was started with (`StartOptions.policies`). */
export function relayPolicies(project: Pick<ProjectRuntime, 'policies'>): readonly RelayPolicy[] {
  return project.policies?.length ? [...BUILT_IN_POLICIES, ...project.policies] : BUILT_IN_POLICIES
}
