import { z } from 'zod'

const mode = z.enum(['off', 'suggest', 'answer'])

/**
 * The assistant's modes (issue 19, h/suggest): `mode` for the project's customers, `teams` per CR team
 * key over it (domain/assistant/mode.ts reads them).
 */
export const modeFields = {
  mode: mode.default('suggest'),
  teams: z.record(z.string(), z.enum(['off', 'suggest', 'answer'])).optional(),
}

/** The same keys in `projects[].assistant`, where absent means "the deployment's". */
export const projectModeFields = {
  mode: mode.optional(),
  teams: modeFields.teams,
}
