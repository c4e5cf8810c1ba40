import { spawn } from 'node:child_process'
import { Bot, HttpError } from 'grammy'
import { describe, expect, it } from 'vitest'
import { configSecrets, createConfig } from '../../src/config/index.js'
import { readingSecretsInto } from '../../src/config/secrets.js'
import { capturedLogger } from '../support/captured-log.js'
import { freePort } from '../support/free-port.js'

const token = '987654321:AAE-theSecretPartOfTheToken_0123456789'
const secretPart = 'theSecretPartOfTheToken'

/** A real grammY call to a port nobody listens on: the HttpError whose inner error names the URL. */
async function networkFailure(): Promise<HttpError> {
  const bot = new Bot(token, { client: { apiRoot: `http://127.0.0.1:${await freePort()}` } })
  const error = (await bot.api.getMe().catch((e: unknown) => e)) as HttpError
  expect(error).toBeInstanceOf(HttpError)
  // The leak this guards against: the fetch error's message holds …/bot<token>/getMe.
  expect(String((error.error as Error).message)).toContain(token)
  return error
}

describe('bot tokens never reach the log', () => {
  it('a network failure logged in every shape the code uses holds no token, only the method and the cause', async () => {
    const error = await networkFailure()
    const { logger, output } = capturedLogger()
    logger.error({ err: error, botId: 1 }, 'polling stopped with an error; restarting')
    logger.error(error)
    logger.warn({ err: error.error }, 'inner fetch error')
    logger.warn({ error }, 'under another key')
    logger.error({ err: new Error('topic recovery failed', { cause: error }) }, 'topic recovery failed')
    logger.child({ botId: 2 }).error({ err: error }, 'unhandled bot error')
    logger.error({ detail: { nested: [String(error.error)] } }, `stack: ${(error.error as Error).stack}`)
    const text = output()
    expect(text).not.toContain(secretPart)
    expect(text).toContain('getMe')
    expect(text).toContain('ECONNREFUSED')
    expect(text.trim().split('\n')).toHaveLength(7)
  })

  it('a configured token or password is redacted wherever it appears, not only in URLs', () => {
    const { logger, output } = capturedLogger('info', ['70011:client-bot-token', 'db-pass-word'])
    logger.info({ token: '70011:client-bot-token', url: 'mysql://topicdesk:db-pass-word@db/topicdesk' }, 'config for 70011:client-bot-token read')
    const text = output()
    expect(text).not.toContain('client-bot-token')
    expect(text).not.toContain('db-pass-word')
    expect(text).toContain('config for')
  })

  it('a token put in the config by a reload is redacted from then on, like those read at start-up', () => {
    const configWith = (clientToken: string) =>
      createConfig({
        database: { url: 'mysql://u:p@127.0.0.1:3306/db' },
        projects: [
          {
            key: 'acme',
            name: 'Acme',
            bots: { client: clientToken, cs: '70012:cs-bot-token', cr: '70013:cr-bot-token' },
            groups: { cs: { chatId: -11 }, cr: [{ key: 'north', title: 'North', chatId: -12 }] },
          },
        ],
      })
    const secrets = configSecrets(configWith('70011:old-client-token'))
    const { logger, output } = capturedLogger('info', secrets)
    // main.ts hands the app this reader for SIGHUP and /reload.
    const reread = readingSecretsInto(secrets, () => configWith('70011:new-client-token'))
    reread()
    logger.info({ token: '70011:new-client-token' }, 'a new token 70011:new-client-token, and the old 70011:old-client-token')
    const text = output()
    expect(text).not.toContain('client-token')
    expect(text).toContain('a new token')
  })

  it('a crash handler logs an uncaught network failure as fatal, without the token, and exits', async () => {
    const port = await freePort()
    // A child that installs the crash handlers, then lets a failing Bot API call go unhandled.
    const script = `
      import { Bot } from 'grammy'
      import { createLogger, installCrashHandlers } from './src/logger.ts'
      installCrashHandlers(createLogger('info', { secrets: ['${token}'] }))
      void new Bot('${token}', { client: { apiRoot: 'http://127.0.0.1:${port}' } }).api.getMe()
    `
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(1)
    expect(output).not.toContain(secretPart)
    const fatal = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message: string } })
      .find((line) => line.level === 60)
    expect(fatal?.msg).toContain('crashed')
    expect(JSON.stringify(fatal?.err)).toContain('ECONNREFUSED')
  })
})
