import { Writable } from 'node:stream'
import { GrammyError, HttpError } from 'grammy'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { BotHealth, describeBotFailure } from '../../src/bots/bot-health.js'
import type { ProjectRuntime } from '../../src/domain/project-runtime.js'

const token = '123456:SECRET-token'
const networkError = () => new HttpError(`Network request for 'getUpdates' failed!`, Object.assign(new Error(`request to http://x/bot${token}/getUpdates failed`), {}))
const refused = () => new GrammyError("Call to 'getUpdates' failed!", { ok: false, error_code: 401, description: 'Unauthorized' }, 'getUpdates', {})

function healthWithLog() {
  const lines: string[] = []
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) })
  const registry = new Registry()
  const health = new BotHealth(pino({}, stream), registry)
  const project = { config: { key: 'acme' } } as ProjectRuntime
  health.watch({ project, self: { id: 123456, role: 'client', username: 'acme_bot' }, path: 'projects[0].bots.client' })
  return { health, lines, registry }
}

describe('bot health', () => {
  it('names a refused token as fatal, with what to do', () => {
    const failure = describeBotFailure(refused())
    expect(failure).toMatchObject({ fatal: true, reason: 'Telegram refused its token (401 Unauthorized)' })
    expect(failure.remedy).toContain('@BotFather')
  })

  it('counts a network blip as failing only when it lasts past the first retry, and never logs the token', async () => {
    const { health, lines, registry } = healthWithLog()
    health.failed(123456, networkError(), 1, 1000)
    expect(health.isFailing(123456)).toBe(false)
    expect(await registry.getSingleMetricAsString('topicdesk_bot_failing')).toContain('topicdesk_bot_failing{project="acme",role="client",bot="123456"} 0')
    health.failed(123456, networkError(), 2, 2000)
    expect(health.isFailing(123456)).toBe(true)
    expect(await registry.getSingleMetricAsString('topicdesk_bot_failing')).toContain('bot="123456"} 1')
    expect(lines.join('')).toContain('projects[0].bots.client (bot 123456, @acme_bot)')
    expect(lines.join('')).not.toContain('SECRET')
    health.recovered(123456)
    expect(health.isFailing(123456)).toBe(false)
  })
})
