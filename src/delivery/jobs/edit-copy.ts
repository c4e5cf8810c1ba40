import type { InputMediaPhoto } from 'grammy/types'
import { classifyTelegramError, PermanentJobError } from '../classify-error.js'
import { combinedCopyParts, combinedText } from '../coalesce.js'
import type { TelegramGateway } from '../gateway.js'
import { CAPTION_LIMIT, TEXT_LIMIT, withHeader, type Content } from '../render.js'
import { fileInput, linkDestination, loadLinkContent, rememberFile, sendContent, uploader } from '../send-content.js'
import type { JobModule, JobOf } from './module.js'
import { ignoreNotModified } from './targets.js'

/** Media kinds editMessageMedia accepts; others are re-sent as an edit note. */
const editableMedia = new Set(['photo', 'video', 'animation', 'audio', 'document'])

/**
 * Re-render an already delivered copy after its original was edited; when Telegram refuses the
 * edit, post the new version as a reply marked as an edit.
 */
export const editCopy: JobModule<JobOf<'edit_copy'>> = {
  type: 'edit_copy',
  async send(deps, claimed, progress) {
    const { link, message, content } = await loadLinkContent(deps, claimed.job.linkId)
    if (!link.copyMessageId) return { skipped: 'copy not delivered' }
    const api = deps.gateway.api(link.botId)
    const chatId = link.chatId
    const header = link.header ?? undefined
    if (content.kind === 'location') return moveLiveCopy(api, chatId, link.copyMessageId, content)
    try {
      // A version Telegram would refuse as too long cannot replace the copy: it goes out as a new message.
      if (content.kind === 'text') {
        // A combined copy (coalesce.ts) is re-rendered whole, so the other originals keep their text.
        const combined = await combinedCopyParts(deps.db, link)
        const t = combined ? combinedText(combined) : withHeader(header, content.text, content.entities)
        if (t.text.length > TEXT_LIMIT) throw new PermanentJobError('The edited text is too long to edit in place')
        return await ignoreNotModified(() => api.editMessageText(chatId, link.copyMessageId!, t.text, { entities: t.entities }))
      }
      if ('file' in content && editableMedia.has(content.kind)) {
        const caption = withHeader(header, content.caption, content.captionEntities)
        if (caption.text.length > CAPTION_LIMIT) throw new PermanentJobError('The edited caption is too long to edit in place')
        const input = await fileInput(deps, link.botId, message.botId, content.file)
        const media = {
          type: content.kind,
          media: input,
          ...(caption.text ? { caption: caption.text, caption_entities: caption.entities } : {}),
        } as InputMediaPhoto
        const edited = await ignoreNotModified(() => uploader(deps, link.botId, input, [content.file]).editMessageMedia(chatId, link.copyMessageId!, media))
        if (edited !== true && !('notModified' in edited)) await rememberFile(deps.db, link.botId, content.file, edited)
        return edited
      }
      throw new PermanentJobError(`A ${content.kind} cannot be edited`)
    } catch (error) {
      const failure = classifyTelegramError(error)
      if (failure.kind !== 'cannot_edit' && !(error instanceof PermanentJobError)) throw error
      const to = await linkDestination(deps, link)
      const sent = await sendContent(deps, link.botId, message.botId, to, content, {
        header: `✏️ Edited${header ? ` · ${header}` : ''}`,
        replyToMessageId: link.copyMessageId,
        progress,
      })
      return { editSentAsNew: sent.message_id }
    }
  },
}

/**
 * A live location moved: move its copy with editMessageLiveLocation. A copy that no longer moves
 * (expired, stopped, or sent static) stays where it is: a location edit never becomes an "Edited" message.
 */
async function moveLiveCopy(api: ReturnType<TelegramGateway['api']>, chatId: number, messageId: number, content: Extract<Content, { kind: 'location' }>): Promise<unknown> {
  try {
    const heading = content.live?.heading ? { heading: content.live.heading } : {}
    return await ignoreNotModified(() => api.editMessageLiveLocation(chatId, messageId, content.params.latitude, content.params.longitude, heading))
  } catch (error) {
    if (classifyTelegramError(error).kind === 'cannot_edit') return { skipped: 'the copy is not a live location any more' }
    throw error
  }
}
