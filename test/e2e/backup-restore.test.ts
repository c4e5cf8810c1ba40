import { exec } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, inject, it } from 'vitest'
import { startApp } from '../../src/app.js'
import { createConfig } from '../../src/config/index.js'
import { createLogger } from '../../src/logger.js'
import { withAdminConnection, urlForDatabase } from '../support/admin-connection.js'
import { onboard, waitForPrivate, waitForTopicMessage } from '../support/flows.js'
import { startHarness } from '../support/harness.js'
import { outboxSettled } from '../support/poll.js'

const run = promisify(exec)

/** The connection flags of the README's commands, for a database URL (the password goes in MYSQL_PWD, not the command line). */
function clientFlags(url: string): { flags: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url)
  return {
    flags: `--host=${parsed.hostname} --port=${parsed.port || '3306'} --user=${decodeURIComponent(parsed.username)}`,
    env: { ...process.env, MYSQL_PWD: decodeURIComponent(parsed.password) },
  }
}

describe('README "Backups"', () => {
  it('a mariadb-dump restored into a fresh database runs the service: it relays, and a staff reply to a message from before the dump reaches the client as a reply', async () => {
    const h = await startHarness()
    const restoredName = `${new URL(h.database.url).pathname.slice(1)}_restored`
    const restoredUrl = urlForDatabase(h.database.url, restoredName)
    const dir = mkdtempSync(join(tmpdir(), 'topicdesk-backup-'))
    try {
      const { sim, world } = h
      const { zoe, alice } = world.people
      const topics = await onboard(h, zoe, 'zoe@example.com', 'north')
      const before = sim.sendPrivate(zoe.id, world.bots.client.id, { text: 'Asked before the backup' })
      const copy = await waitForTopicMessage(h, world.groups.cs.id, topics.cs, 'Asked before the backup')
      await outboxSettled(h.database.db)

      // Back up, as the README says, while the service runs.
      const { flags, env } = clientFlags(h.database.url)
      const dump = join(dir, 'topicdesk.sql')
      await run(`mariadb-dump --single-transaction ${flags} ${new URL(h.database.url).pathname.slice(1)} > ${dump}`, { env })
      await h.app.stop()

      // Restore into a fresh database and start the service on it.
      await run(`mariadb ${flags} -e 'CREATE DATABASE ${restoredName} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'`, { env })
      await run(`mariadb ${flags} ${restoredName} < ${dump}`, { env })
      const config = createConfig({ ...h.config, database: { url: restoredUrl } })
      h.app = await startApp(config, createLogger(config.log.level))

      // The mapping survived: Alice's reply to the old copy reaches Zoe as a reply to her old message.
      sim.sendGroup(alice.id, world.groups.cs.id, { text: 'Answered after the restore' }, { threadId: topics.cs, replyTo: copy.message_id })
      const answer = await waitForPrivate(h, zoe.id, world.bots.client.id, 'Answered after the restore')
      expect(answer.reply_to_message_id).toBe(before.message_id)
      // And it relays new messages.
      sim.sendPrivate(zoe.id, world.bots.client.id, { text: 'Written after the restore' })
      await waitForTopicMessage(h, world.groups.cs.id, topics.cs, 'Written after the restore')
    } finally {
      await h.stop()
      await withAdminConnection(inject('adminDatabaseUrl'), (connection) => connection.query(`DROP DATABASE IF EXISTS \`${restoredName}\``))
    }
  })
})
