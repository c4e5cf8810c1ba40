/** An error answered to the bot exactly as Telegram words it. */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description)
  }
}

export const badRequest = (text: string): ApiError => new ApiError(400, `Bad Request: ${text}`)
export const forbidden = (text: string): ApiError => new ApiError(403, `Forbidden: ${text}`)

/** Texts used in more than one place. */
export const E = {
  chatNotFound: () => badRequest('chat not found'),
  threadNotFound: () => badRequest('message thread not found'),
  topicClosed: () => badRequest('TOPIC_CLOSED'),
  textEmpty: () => badRequest('message text is empty'),
  textTooLong: () => badRequest('message is too long'),
  captionTooLong: () => badRequest('message caption is too long'),
  replyNotFound: () => badRequest('message to be replied not found'),
  wrongFileId: () => badRequest('wrong file identifier/HTTP URL specified'),
  editNotFound: () => badRequest('message to edit not found'),
  cantEdit: () => badRequest("message can't be edited"),
  notModified: () =>
    badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'),
  copyNotFound: () => badRequest('message to copy not found'),
  blocked: () => forbidden('bot was blocked by the user'),
  kicked: () => forbidden('bot was kicked from the supergroup chat'),
  notMember: () => forbidden('bot is not a member of the supergroup chat'),
  noWriteAccess: () => badRequest('have no write access to the chat'),
  cantInitiate: () => forbidden("bot can't initiate conversation with a user"),
  queryTooOld: () => badRequest('query is too old and response timeout expired or query ID is invalid'),
} as const
