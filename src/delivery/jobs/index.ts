import { broadcast } from './broadcast.js'
import { createSystemTopic } from './create-system-topic.js'
import { createTopic } from './create-topic.js'
import { deleteMessage } from './delete.js'
import { editCopy } from './edit-copy.js'
import { editText } from './edit-text.js'
import { ephemeral } from './ephemeral.js'
import { floodNotice } from './flood-notice.js'
import { react } from './react.js'
import { JobRegistry } from './registry.js'
import { relayAlbum } from './relay-album.js'
import { relay } from './relay.js'
import { removeMember } from './remove-member.js'
import { text } from './text.js'
import { closeTopic, deleteTopic, reopenTopic } from './topic-change.js'

export { JobRegistry } from './registry.js'
export type { ClaimOf, ExecutorDeps, JobModule, JobOf } from './module.js'

/**
 * Every outbox job type, registered once: the worker sends through it, the planner weighs and
 * places jobs with it. The compiler rejects a type of the `OutboxJob` union left out here.
 */
export const outboxJobs = JobRegistry.of({
  relay,
  relay_album: relayAlbum,
  edit_copy: editCopy,
  delete: deleteMessage,
  react,
  text,
  flood_notice: floodNotice,
  edit_text: editText,
  create_topic: createTopic,
  close_topic: closeTopic,
  reopen_topic: reopenTopic,
  delete_topic: deleteTopic,
  create_system_topic: createSystemTopic,
  remove_member: removeMember,
  ephemeral,
  broadcast,
})
