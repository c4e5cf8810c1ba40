// Every user-facing text of the auto-replies and flows, in one place.

export const autoReplyTexts = {
  /** The button under every automatic answer that always reaches staff. */
  talkToPerson: 'Talk to a person',
  /** The client's press of that button, relayed to the topics as their message. */
  handoffMessage: '🙋 Talk to a person',
  /** Header of a client message copy the bot answered (staff need not). */
  autoAnsweredHeader: '🤖 auto-answered',
  /** A bot answer shown in the customer's topics. */
  botAnswer: (text: string, buttons: string[]) => `🤖 ${text}${buttons.length ? `\n[${buttons.join('] [')}]` : ''}`,
  /** A button the client pressed, shown in the topics before the answer. */
  pressed: (name: string, button: string) => `${name} pressed «${button}»`,
  /** Profile card line of the answers given in flows. */
  answersLine: (answers: Array<{ key: string; value: string }>) => `Answers: ${answers.map((a) => `${a.key}: ${a.value}`).join(' · ')}`,
  /** Said to a press of a button that no longer does anything (an old message, a changed flow). */
  buttonExpired: 'This button is no longer valid.',
  /** The toast of a press that worked. */
  pressTaken: '✓',
} as const
