import { addRiskPhrase, listRiskPhrases, removeRiskPhrase } from '../../../domain/risk/phrases.js'
import type { CrmOutcome } from '../../../domain/crm/tags.js'
import { refusalFor } from '../../../domain/permissions.js'
import { staffGroupOf, textsOf } from '../../../domain/project-runtime.js'
import type { GroupCommandHandler } from './types.js'

/** `/risk add <name> <confirm|block> <pattern>`, `/risk remove <name>` (CS leads), `/risk list` (staff): see domain/risk/phrases. */
export const riskCommand: GroupCommandHandler = async (ctx) => {
  const [verb = '', ...rest] = ctx.match.trim().split(/\s+/)
  const args = ctx.match.trim().slice(verb.length).trim()
  const listRefusal = refusalFor(ctx.project, ctx.from.id, 'see_risk_phrases', undefined, staffGroupOf(ctx.project, ctx.chat.id))
  const outcome: CrmOutcome =
    verb === 'add'
      ? await addRiskPhrase(ctx.deps, ctx.project, ctx.from.id, args)
      : verb === 'remove' && rest.length === 1
        ? await removeRiskPhrase(ctx.deps, ctx.project, ctx.from.id, args)
        : verb === 'list' || verb === ''
          ? listRefusal
            ? { ok: false, reason: listRefusal }
            : { ok: true, text: await listRiskPhrases(ctx.deps, ctx.project) }
          : { ok: false, reason: textsOf(ctx.project).staff('riskUsage') }
  await ctx.reply(outcome.ok ? outcome.text : outcome.reason, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } })
}
