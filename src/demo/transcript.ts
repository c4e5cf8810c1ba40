import type { Simulator, SimMessageView } from '../simulator/index.js'

interface Watched {
  label: string
  read: () => SimMessageView[]
}

/**
 * Prints what each person now sees, as changes since the last call: new messages, edits,
 * deletions and reactions, per chat and topic.
 */
export class Transcript {
  private readonly seen = new Map<string, string>()
  private readonly watched: Watched[] = []

  constructor(
    private readonly sim: Simulator,
    private readonly names: Map<number, string>,
    private readonly out: (line: string) => void = (line) => console.log(line),
  ) {}

  watchPrivate(userId: number, botId: number): void {
    this.watched.push({ label: `${this.name(userId)}'s chat with ${this.name(botId)}`, read: () => this.sim.privateMessages(userId, botId, { includeDeleted: true }) })
  }

  watchGroup(chatId: number, title: string): void {
    this.watched.push({
      label: title,
      read: () => this.sim.chatMessages(chatId, { includeDeleted: true }),
    })
  }

  step(title: string): void {
    this.out(`\n━━ ${title}`)
  }

  /** A line of what one person alone sees (an ephemeral message, which no chat listing shows). */
  note(line: string): void {
    this.out(`  ${line}`)
  }

  /** Prints every change since the last flush. */
  flush(): void {
    for (const chat of this.watched) {
      for (const message of chat.read()) {
        if (message.kind === 'service') continue
        const key = `${message.chat_id}:${message.message_id}`
        const state = JSON.stringify([message.text, message.edited, message.deleted, message.reactions, message.pinned, message.reply_markup])
        const before = this.seen.get(key)
        if (before === state) continue
        this.seen.set(key, state)
        const where = this.topicName(message) ? `${chat.label} › ${this.topicName(message)}` : chat.label
        const verb = message.deleted ? '🗑 deleted ' : before === undefined ? '' : '↻ '
        const edited = message.edited ? ' (edited)' : ''
        const what = message.kind === 'text' ? '' : `[${message.kind}] `
        const text = (message.text ?? '').replace(/\n/g, ' ⏎ ')
        const reply = message.reply_to_message_id ? ` (reply to #${message.reply_to_message_id})` : ''
        const reactions = message.reactions.length ? `  {${message.reactions.map((r) => `${r.emoji} by ${this.name(r.by)}`).join(', ')}}` : ''
        const buttons = message.reply_markup
          ? `  [${message.reply_markup.inline_keyboard
              .flat()
              .map((b) => b.text)
              .join(' | ')}]`
          : ''
        const pin = message.pinned ? ' 📌' : ''
        this.out(`  ${where}: ${verb}#${message.message_id} ${this.name(message.from.id)}: ${what}${text}${edited}${reply}${pin}${reactions}${buttons}`)
      }
    }
  }

  private topicName(message: SimMessageView): string | undefined {
    if (!message.thread_id) return undefined
    return this.sim.topics(message.chat_id).find((t) => t.message_thread_id === message.thread_id)?.name
  }

  private name(id: number): string {
    return this.names.get(id) ?? String(id)
  }
}
