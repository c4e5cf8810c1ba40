import { describe, expect, it } from 'vitest'
import { drain, failure, raw, updates, type ApiAnswer, useWorld } from './helpers.js'

const w = useWorld()

describe('wire protocol', () => {
  it('answers 401 for unknown tokens and 404 for unknown methods; methods are case-insensitive', async () => {
    expect(await raw(w.sim, '999:nope', 'getMe')).toEqual({ status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } })
    expect((await raw(w.sim, w.cs.token, 'fooBar')).json).toEqual({ ok: false, error_code: 404, description: 'Not Found' })
    expect((await raw<{ username: string }>(w.sim, w.cs.token, 'getme')).json.result.username).toBe('cs_bot')
  })

  it('accepts urlencoded bodies with JSON-encoded objects', async () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hello' })
    const res = await fetch(`${w.sim.url}/bot${w.client.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: String(w.alice), text: 'hi', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }) }),
    })
    const json = (await res.json()) as ApiAnswer<{ reply_markup: { inline_keyboard: Array<Array<{ callback_data?: string }>> } }>
    expect(json.ok).toBe(true)
    expect(json.result.reply_markup.inline_keyboard[0]![0]!.callback_data).toBe('a')
  })
})

describe('sending', () => {
  it('needs the user to start the bot, and 404-free chat visibility', async () => {
    expect((await failure(w.client.api.sendMessage(w.alice, 'hi'))).description).toBe("Forbidden: bot can't initiate conversation with a user")
    expect((await failure(w.client.api.sendMessage(w.group, 'hi'))).description).toBe('Bad Request: chat not found')
    w.sim.sendPrivate(w.alice, w.client.id, { text: '/start ref42' })
    const [u] = await updates(w.client.api)
    expect(u?.message?.text).toBe('/start ref42')
    expect(u?.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }])
    expect((await w.client.api.sendMessage(w.alice, 'welcome')).chat.id).toBe(w.alice)
  })

  it('refuses a text_mention of a user the bot has not seen, until an update or getChatMember shows them', async () => {
    const cleo = w.sim.createUser({ firstName: 'Cleo' }).id
    w.sim.addMember(w.group, cleo)
    const mention = [{ type: 'text_mention' as const, offset: 0, length: 4, user: { id: cleo, is_bot: false, first_name: 'Cleo' } }]
    expect((await failure(w.cs.api.sendMessage(w.group, 'Cleo, please', { entities: mention }))).description).toBe('Bad Request: have no access to the user')
    const plain = await w.cs.api.sendMessage(w.group, 'Cleo')
    expect((await failure(w.cs.api.editMessageText(w.group, plain.message_id, 'Cleo!', { entities: mention }))).description).toBe('Bad Request: have no access to the user')
    await w.cs.api.getChatMember(w.group, cleo)
    const sent = await w.cs.api.sendMessage(w.group, 'Cleo, please', { entities: mention })
    expect(sent.entities).toEqual([expect.objectContaining({ type: 'text_mention', user: expect.objectContaining({ id: cleo }) })])
    // The other bot of the group has still never seen her; a message she writes shows her to it.
    expect((await failure(w.cr.api.sendMessage(w.group, 'Cleo, please', { entities: mention }))).description).toBe('Bad Request: have no access to the user')
    w.sim.sendGroup(cleo, w.group, { text: 'here' })
    expect((await w.cr.api.sendMessage(w.group, 'Cleo, please', { entities: mention })).text).toBe('Cleo, please')
  })

  it('keeps a private chat per bot: same user id, separate histories', () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'to client' })
    w.sim.sendPrivate(w.alice, w.cs.id, { text: 'to cs' })
    expect(w.sim.privateMessages(w.alice, w.client.id).map((m) => m.text)).toEqual(['to client'])
    expect(w.sim.privateMessages(w.alice, w.cs.id)[0]?.message_id).toBe(1)
  })

  it('parses HTML and MarkdownV2 and reports Telegram’s errors', async () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    const html = await w.client.api.sendMessage(w.alice, '<b>Hi</b> &amp; <a href="https://x.org">link</a>', { parse_mode: 'HTML' })
    expect(html.text).toBe('Hi & link')
    expect(html.entities).toEqual([
      { type: 'bold', offset: 0, length: 2 },
      { type: 'text_link', offset: 5, length: 4, url: 'https://x.org' },
    ])
    const md = await w.client.api.sendMessage(w.alice, '*bold* _it_ v1\\.0', { parse_mode: 'MarkdownV2' })
    expect(md.text).toBe('bold it v1.0')
    const cases: Array<[string, 'HTML' | 'MarkdownV2', string]> = [
      ['<b>open', 'HTML', `Can't find end tag corresponding to start tag "b"`],
      ['a <foo>b</foo>', 'HTML', 'Unsupported start tag "foo" at byte offset 2'],
      ['<b>x</i>', 'HTML', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
      ['Version 1.0', 'MarkdownV2', "Character '.' is reserved and must be escaped with the preceding '\\'"],
      ['Hi!', 'MarkdownV2', "Character '!' is reserved and must be escaped with the preceding '\\'"],
      ['é_open', 'MarkdownV2', "Can't find end of Italic entity at byte offset 2"],
    ]
    for (const [text, mode, error] of cases) {
      expect((await failure(w.client.api.sendMessage(w.alice, text, { parse_mode: mode }))).description).toBe(`Bad Request: can't parse entities: ${error}`)
    }
  })

  it('enforces 1-4096 characters after parsing', async () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    await w.client.api.sendMessage(w.alice, `<b>${'x'.repeat(4096)}</b>`, { parse_mode: 'HTML' })
    expect((await failure(w.client.api.sendMessage(w.alice, 'x'.repeat(4097)))).description).toBe('Bad Request: message is too long')
    expect((await failure(w.client.api.sendMessage(w.alice, '<b></b>', { parse_mode: 'HTML' }))).description).toBe('Bad Request: message text is empty')
  })

  it('counts a draft (sendMessageDraft) after entities parsing too, and refuses bad markup and draft_id 0', async () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    expect(await w.client.api.sendMessageDraft(w.alice, 1, `<b>${'x'.repeat(4096)}</b>`, { parse_mode: 'HTML' })).toBe(true)
    expect(await w.client.api.sendMessageDraft(w.alice, 1, '')).toBe(true)
    expect((await failure(w.client.api.sendMessageDraft(w.alice, 1, 'x'.repeat(4097)))).description).toBe('Bad Request: message is too long')
    expect((await failure(w.client.api.sendMessageDraft(w.alice, 1, '<b>open', { parse_mode: 'HTML' }))).description).toMatch(/can't parse entities/)
    expect((await failure(w.client.api.sendMessageDraft(w.alice, 0, 'x'))).description).toBe('Bad Request: draft_id must be non-zero')
  })

  it('fails replies to missing messages unless allowed', async () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    const e = await failure(w.client.api.sendMessage(w.alice, 're', { reply_parameters: { message_id: 999 } }))
    expect(e.description).toBe('Bad Request: message to be replied not found')
    const ok = await w.client.api.sendMessage(w.alice, 're', { reply_parameters: { message_id: 999, allow_sending_without_reply: true } })
    expect(ok.reply_to_message).toBeUndefined()
    const real = await w.client.api.sendMessage(w.alice, 're', { reply_to_message_id: 1 })
    expect(real.reply_to_message?.message_id).toBe(1)
  })

  it('never shows bots each other’s messages; admin bots see users in groups', async () => {
    await drain(w.cr.api)
    await w.cs.api.sendMessage(w.group, 'from cs')
    w.sim.sendGroup(w.bob, w.group, { text: 'from bob' })
    const seen = await updates(w.cr.api)
    expect(seen.map((u) => u.message?.text)).toEqual(['from bob'])
    expect(w.sim.deliveries().map((d) => [d.botId, d.text])).toEqual([[w.cs.id, 'from cs']])
  })

  it('shows a plain member bot only commands and replies to it', async () => {
    const plain = w.sim.createBot({ token: '1009:plain', username: 'plain_bot' })
    w.sim.addMember(w.group, plain.id)
    const api = new (await import('grammy')).Api(plain.token, { apiRoot: w.sim.url })
    await drain(api)
    w.sim.sendGroup(w.bob, w.group, { text: 'chatter' })
    w.sim.sendGroup(w.bob, w.group, { text: '/help@plain_bot' })
    w.sim.sendGroup(w.bob, w.group, { text: '/help@cs_bot' })
    const mine = await api.sendMessage(w.group, 'ask me')
    w.sim.sendGroup(w.bob, w.group, { text: 'answer' }, { replyTo: mine.message_id })
    expect((await updates(api)).map((u) => u.message?.text)).toEqual(['/help@plain_bot', 'answer'])
  })

  it('sends locations, venues, contacts, polls and dice', async () => {
    w.sim.sendPrivate(w.alice, w.client.id, { text: 'hi' })
    expect((await w.client.api.sendLocation(w.alice, 1.5, 2.5)).location).toEqual({ latitude: 1.5, longitude: 2.5 })
    expect((await w.client.api.sendVenue(w.alice, 1, 2, 'Shop', 'Main St')).venue?.title).toBe('Shop')
    expect((await w.client.api.sendContact(w.alice, '+100', 'Ann')).contact?.first_name).toBe('Ann')
    expect((await w.client.api.sendPoll(w.alice, 'Q?', [{ text: 'a' }, { text: 'b' }])).poll.options).toHaveLength(2)
    const dice = await w.client.api.sendDice(w.alice, '🎲')
    expect(dice.dice.value).toBeGreaterThanOrEqual(1)
    expect(w.sim.privateMessages(w.alice, w.client.id).map((m) => m.kind)).toEqual(['text', 'location', 'venue', 'contact', 'poll', 'dice'])
  })
})
