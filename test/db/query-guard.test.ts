import { describe, expect, it } from 'vitest'
import { unscopedStatements } from '../support/query-recorder.js'

/** The query guard of test/e2e/isolation.test.ts must catch what it is there for. */
describe('unscopedStatements', () => {
  const owned = ['customers', 'topics']
  it('flags reads, changes and joins of project-owned tables without a project condition, once each', () => {
    const statements = [
      'select `id` from `customers` where `customers`.`telegram_user_id` = ?',
      'select `id` from `customers` where `customers`.`telegram_user_id` = ?',
      'update `topics` set `state` = ? where `topics`.`chat_id` = ?',
      'delete from `topics` where `topics`.`customer_id` = ?',
      'select * from `customers` inner join `topics` on `topics`.`customer_id` = `customers`.`id` where `customers`.`project_id` = ?',
    ]
    expect(unscopedStatements(statements, owned)).toEqual([statements[0], statements[2], statements[3], statements[4]])
  })
  it('passes scoped statements, inserts, other tables and allowed patterns', () => {
    const statements = [
      'select `id` from `customers` where (`customers`.`project_id` = ? and `customers`.`telegram_user_id` = ?)',
      'insert into `topics` (`project_id`, `chat_id`) values (?, ?)',
      'select `id` from `projects` where `projects`.`key` = ?',
      'update `topics` set `state` = ? where `topics`.`id` = ?',
    ]
    expect(unscopedStatements(statements, owned, [/where `topics`\.`id` = \?$/])).toEqual([])
  })
})
