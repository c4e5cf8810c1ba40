/** What broadcasts say to staff (the confirmation, its progress, refusals). */

const count = (n: number) => n.toLocaleString('en-US')

export const broadcastTexts = {
  notAReply: 'Reply to the message you want to send with /broadcast [segment] (all, tag:<tag>, team:<team>, link:<code>, lang:<code>).',
  notInOnboarding: 'Please use /broadcast in the Onboarding topic, as a reply to the message to send.',
  nothingToSend: 'That message has nothing a client can be sent (a service message?). Please reply to a text or media message.',
  badSegment: (typed: string) => `"${typed}" is not a segment I know. Use all, tag:<tag>, team:<cr team>, link:<code> or lang:<language code>.`,
  unknownTeam: (team: string) => `There is no CR team "${team}" in this project.`,
  noRecipients: (segment: string) => `No client matches ${segment} (blocked and banned clients are left out). Nothing was sent.`,
  confirm: (segment: string, recipients: number) =>
    `📣 Broadcast the message above to ${segment}: ${count(recipients)} client${recipients === 1 ? '' : 's'} (blocked and banned clients are left out). Send it?`,
  confirmButton: (recipients: number) => `✅ Send to ${count(recipients)}`,
  cancelButton: '✖️ Cancel',
  progress: (p: { segment: string; total: number; sent: number; blocked: number; failed: number; cancelled: number; state: 'sending' | 'done' | 'cancelled' }) => {
    const figures = [`${count(p.sent)} / ${count(p.total)} sent`, `${count(p.blocked)} blocked`, ...(p.failed ? [`${count(p.failed)} failed`] : [])].join(', ')
    const tail = p.state === 'sending' ? 'Sending…' : p.state === 'done' ? 'Done.' : `Cancelled: ${count(p.cancelled)} not sent.`
    return `📣 Broadcast to ${p.segment}: ${figures}. ${tail}`
  },
  cancelledBeforeStart: '📣 Broadcast cancelled: nothing was sent.',
  started: (recipients: number) => `Sending to ${count(recipients)}.`,
  alreadyDecided: 'This broadcast was already started or cancelled.',
  cancelling: 'Cancelled: nothing more goes out.',
  notFound: 'This broadcast no longer exists.',
  /** The dead-letter reason of a row Cancel stopped. */
  cancelledRow: 'cancelled: the broadcast was cancelled',
}
