import { countNotRelayed } from '../../db/repositories/relay.js'
import type { JobModule, JobOf } from './module.js'
import { sendNotice } from './text.js'

/**
 * The one notice of a flood window: counts what was held back when it is sent and posts the text
 * with {count} filled in; nothing held back, nothing to say.
 */
export const floodNotice: JobModule<JobOf<'flood_notice'>> = {
  type: 'flood_notice',
  async send(deps, claimed, progress) {
    const job = claimed.job
    const n = await countNotRelayed(deps.db, job.customerId, 'flood', job.sinceRowId, new Date(job.until))
    if (n === 0) return { skipped: 'nothing was held back' }
    return sendNotice(deps, claimed.botId, { type: 'text', target: job.target, text: job.text.replace('{count}', String(n)) }, progress)
  },
}
