import type { z } from 'zod'

type Context = z.core.$RefinementCtx

/** The hosted Bot API (the only one that restricts webhook URLs). */
const hostedApiHost = 'api.telegram.org'
/** telegram-facts "Webhooks": HTTPS only, on ports 80, 88, 443 or 8443 (tdlib WebhookActor). */
const webhookPorts = ['80', '88', '443', '8443']

/**
 * With Telegram's hosted Bot API, a webhook URL it would refuse is caught at start-up; a local
 * Bot API server or the simulator accepts other URLs, so nothing is checked there.
 */
export function checkWebhookUrl(telegram: { apiRoot: string; webhook?: { publicUrl: string } | undefined }, ctx: Context): void {
  if (!telegram.webhook || new URL(telegram.apiRoot).hostname !== hostedApiHost) return
  const url = new URL(telegram.webhook.publicUrl)
  const path = ['webhook', 'publicUrl']
  if (url.protocol !== 'https:') ctx.addIssue({ code: 'custom', path, message: `Telegram posts webhooks only over HTTPS, not ${url.protocol.replace(':', '')}` })
  else if (url.port !== '' && !webhookPorts.includes(url.port)) {
    ctx.addIssue({ code: 'custom', path, message: `Telegram posts webhooks only to ports 80, 88, 443 or 8443, not ${url.port}` })
  }
}

interface ProjectShape {
  key: string
  bots: Record<string, string | string[] | undefined>
  groups: { cs: { chatId: number }; cr: Array<{ key: string; chatId: number }>; treatment?: { chatId: number } | undefined }
}

/** Refuses what must be unique across the whole file: bot tokens, project keys, group chat ids, CR team keys. */
export function checkUniqueness(config: { projects: ProjectShape[] }, ctx: Context): void {
  const tokens = new Map<string, string>()
  const chats = new Map<number, string>()
  const projectKeys = new Map<string, number>()
  config.projects.forEach((project, p) => {
    const other = projectKeys.get(project.key)
    if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['projects', p, 'key'], message: `project key "${project.key}" is already used by projects.${other}` })
    else projectKeys.set(project.key, p)

    for (const [role, value] of Object.entries(project.bots)) {
      for (const token of typeof value === 'string' ? [value] : (value ?? [])) {
        const seen = tokens.get(token)
        if (seen) ctx.addIssue({ code: 'custom', path: ['projects', p, 'bots', role], message: `this token is already used at ${seen}; each role needs its own bot` })
        tokens.set(token, `projects.${p}.bots.${role}`)
      }
    }

    const groups: Array<[Array<string | number>, number]> = [[['cs'], project.groups.cs.chatId]]
    project.groups.cr.forEach((team, i) => groups.push([['cr', i], team.chatId]))
    if (project.groups.treatment) groups.push([['treatment'], project.groups.treatment.chatId])
    for (const [where, chatId] of groups) {
      const path = ['projects', p, 'groups', ...where, 'chatId']
      const seen = chats.get(chatId)
      if (seen) ctx.addIssue({ code: 'custom', path, message: `chat id ${chatId} is already used at ${seen}; each group needs its own chat` })
      else chats.set(chatId, path.join('.'))
    }

    const teamKeys = new Set<string>()
    project.groups.cr.forEach((team, i) => {
      if (teamKeys.has(team.key)) ctx.addIssue({ code: 'custom', path: ['projects', p, 'groups', 'cr', i, 'key'], message: `duplicate CR team key "${team.key}"` })
      teamKeys.add(team.key)
    })
  })
}
