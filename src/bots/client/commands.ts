/** The client bot's command menu in private chats (the client bot has one command; everything else is conversation). */
export const clientCommands = [{ command: 'start', description: 'Start, or link your account' }]
