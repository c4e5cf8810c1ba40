import type { User } from 'grammy/types'
import type { TelegramPerson } from '../../domain/customers.js'

export function personOf(user: User): TelegramPerson {
  return { id: user.id, firstName: user.first_name, lastName: user.last_name, username: user.username, languageCode: user.language_code }
}
