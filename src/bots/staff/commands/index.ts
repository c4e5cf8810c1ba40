import { banCommand, unbanCommand } from './ban.js'
import { deleteCommand } from './delete.js'
import { historyCommand } from './history.js'
import { reassignCommand } from './reassign.js'
import { treatmentCommand } from './treatment.js'
import type { TopicCommandHandler } from './types.js'

/** Commands staff can use inside a customer's topic. Each lives in its own file. */
export const topicCommands: Record<string, { handler: TopicCommandHandler; help: string }> = {
  delete: { handler: deleteCommand, help: '/delete (as a reply): delete your message everywhere' },
  history: { handler: historyCommand, help: '/history: who looked after this customer, and when' },
  reassign: { handler: reassignCommand, help: '/reassign [team] [now|tonight|YYYY-MM-DD HH:MM]: move the customer to another CR team (CS leads)' },
  treatment: { handler: treatmentCommand, help: '/treatment: open a Treatment topic for this customer (asks first); /treatment close: end it' },
  ban: { handler: banCommand, help: '/ban: stop relaying this client’s messages (stored, not relayed; CS leads)' },
  unban: { handler: unbanCommand, help: '/unban: relay this client’s messages again (CS leads)' },
}
