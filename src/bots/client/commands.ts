/** The client bot's command menu in private chats (the client bot has one command; everything else is conversation). */
export const clientCommands = [{ command: 'start', description: 'Start, or link your account' }]

/**
 * Whether a client's text is one of the client bot's own commands ("/start", "/start@this_bot").
 * Any other text that starts with "/" ("/cancel my order please") is a message like any other.
 */
export function isClientCommand(text: string | undefined, botUsername: string): boolean {
  const command = /^\/([a-z0-9_]+)(?:@(\w+))?(?:\s|$)/i.exec(text ?? '')
  if (!command) return false
  if (command[2] && command[2].toLowerCase() !== botUsername.toLowerCase()) return false
  return clientCommands.some((c) => c.command === command[1]!.toLowerCase())
}
