import { addNote, listNotes } from '../../../domain/crm/notes.js'
import { changeTags, listTags, type CrmOutcome } from '../../../domain/crm/tags.js'
import { answer, type TopicCommand, type TopicCommandHandler } from './types.js'

const answerOutcome = (command: TopicCommand, outcome: CrmOutcome) => answer(command, outcome.ok ? outcome.text : outcome.reason)

/** `/tag vip refund`: tags the customer (see domain/crm/tags). */
export const tagCommand: TopicCommandHandler = async (command) =>
  answerOutcome(command, await changeTags(command.ctx.deps, command.ctx.project, command.topic.customerId, command.ctx.from!.id, command.args, true))

/** `/untag refund`: removes tags. */
export const untagCommand: TopicCommandHandler = async (command) =>
  answerOutcome(command, await changeTags(command.ctx.deps, command.ctx.project, command.topic.customerId, command.ctx.from!.id, command.args, false))

/** `/tags`: the customer's tags. */
export const tagsCommand: TopicCommandHandler = async (command) => answer(command, await listTags(command.ctx.deps, command.ctx.project, command.topic.customerId))

/** `/note <text>`: a dated note on the customer's profile (see domain/crm/notes). */
export const noteCommand: TopicCommandHandler = async (command) =>
  answerOutcome(command, await addNote(command.ctx.deps, command.ctx.project, command.topic.customerId, command.ctx.from!.id, command.args))

/** `/notes`: every note of the customer. */
export const notesCommand: TopicCommandHandler = async (command) => answer(command, await listNotes(command.ctx.deps, command.ctx.project, command.topic.customerId))
