/**
 * Fields that make a message a service message (Bot API Message: "Service message: …"): things
 * that happened in a chat, not something a person wrote. They are never relayed.
 */
const SERVICE_FIELDS = [
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'successful_payment',
  'refunded_payment',
  'users_shared',
  'chat_shared',
  'connected_website',
  'write_access_allowed',
  'passport_data',
  'proximity_alert_triggered',
  'boost_added',
  'chat_background_set',
  'chat_owner_left',
  'chat_owner_changed',
  'checklist_tasks_done',
  'checklist_tasks_added',
  'direct_message_price_changed',
  'paid_message_price_changed',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'general_forum_topic_hidden',
  'general_forum_topic_unhidden',
  'giveaway_created',
  'giveaway_completed',
  'gift',
  'unique_gift',
  'gift_upgrade_sent',
  'video_chat_scheduled',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_participants_invited',
  'web_app_data',
  'community_chat_joined',
  'managed_bot_created',
  'poll_option_added',
  'poll_option_deleted',
  'suggested_post_approved',
  'suggested_post_approval_failed',
  'suggested_post_declined',
  'suggested_post_paid',
  'suggested_post_refunded',
] as const

/**
 * Service events that change what the service records (a topic closed by hand resolves the CR
 * conversation and asks the client for a rating): taken only from people who may work in the
 * group (`groupRefusal` in permissions.ts); anyone else's are logged and change nothing.
 */
const STATE_CHANGING: ReadonlySet<string> = new Set(['forum_topic_closed', 'forum_topic_reopened'])

/** Whether a service event changes recorded state (see STATE_CHANGING), so the roster applies to it. */
export function changesState(event: string): boolean {
  return STATE_CHANGING.has(event)
}

/** The service event a message carries (pin, topic closed, auto-delete timer…), or undefined for a message someone wrote. */
export function serviceEventOf(message: object): string | undefined {
  const fields = message as unknown as Record<string, unknown>
  return SERVICE_FIELDS.find((field) => fields[field] !== undefined)
}
