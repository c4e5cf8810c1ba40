import { runWhenMain, withDatabase, writeLine } from './run-cli.js'
import { NO_PROJECT, projectIdOf } from './project-option.js'
import { createApiKey, listApiKeys, revokeApiKey } from '../server/api/api-keys.js'

const usage = 'usage: npm run apikey -- create --project <key> [--name <name>] | create --global [--name <name>] | list [--project <key>] | revoke <public id>'

/** `npm run apikey -- create|list|revoke`: keys of the admin API (shown once, stored hashed). */
export const apikeyCli = withDatabase(async (db, argv, io) => {
  const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined)
  const projectKey = option('--project')
  const projectId = projectKey === undefined ? undefined : await projectIdOf(db, projectKey)
  if (projectId === null) {
    writeLine(io.stderr, NO_PROJECT(projectKey!))
    return 2
  }
  switch (argv[0]) {
    case 'create': {
      if (projectId === undefined && !argv.includes('--global')) break
      const { key, publicId } = await createApiKey(db, { projectId: projectId ?? null, name: option('--name') ?? (projectKey ? `${projectKey} key` : 'global key') })
      writeLine(io.stdout, `${key}\n\nKey ${publicId} created for ${projectKey ? `project ${projectKey}` : 'every project'}. It is shown this once; store it now.`)
      return 0
    }
    case 'list': {
      const keys = await listApiKeys(db, projectId)
      if (keys.length === 0) writeLine(io.stdout, 'No API keys.')
      for (const k of keys)
        writeLine(
          io.stdout,
          `${k.publicId}  ${k.name}  ${k.projectId === null ? 'global' : `project ${k.projectId}`}  created ${k.createdAt.toISOString()}  ${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : `last used ${k.lastUsedAt?.toISOString() ?? 'never'}`}`,
        )
      return 0
    }
    case 'revoke': {
      const publicId = argv[1]
      if (!publicId) break
      const ok = await revokeApiKey(db, publicId)
      writeLine(io.stdout, ok ? `Key ${publicId} is revoked.` : `No active key ${publicId}.`)
      return ok ? 0 : 1
    }
  }
  writeLine(io.stderr, usage)
  return 2
})
runWhenMain(import.meta.url, apikeyCli)
