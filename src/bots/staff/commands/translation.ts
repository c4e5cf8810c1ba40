import { setTranslation } from '../../../domain/translation/toggle.js'
import { answer, type TopicCommandHandler } from './types.js'

/** `/tr off` / `/tr on` in a customer's topic: translation for this customer (see domain/translation/toggle). */
export const trCommand: TopicCommandHandler = async (command) => {
  await answer(command, await setTranslation(command.ctx.deps, command.ctx.project, command.topic.customerId, command.args))
}
