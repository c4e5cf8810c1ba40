import type { DomainDeps } from '../domain/deps.js'
import type { ProjectRuntime } from '../domain/project-runtime.js'
import { projectsWithDueWaits, REMINDER_STAGES, sendDueReminders, type ReminderStage } from '../domain/sla/reminders.js'
import type { CronJob } from './scheduler.js'

/** Counts the reminders fired (the `topicdesk_reminders_total` metric). */
export type ReminderCounter = (project: string, stage: ReminderStage, count: number) => void

/** Fires the due unanswered reminders of every project (default every minute, on the domain's clock). */
export function unansweredRemindersJob(deps: DomainDeps, projects: ProjectRuntime[], schedule: string, count: ReminderCounter): CronJob {
  return {
    name: 'unanswered-reminders',
    schedule,
    async run() {
      // One statement finds the projects with a wait old enough: an idle run costs the same for 1 project or 100.
      for (const project of await projectsWithDueWaits(deps.db, projects, deps.clock.now())) {
        const fired = await sendDueReminders(deps, project)
        for (const stage of REMINDER_STAGES) if (fired[stage]) count(project.config.key, stage, fired[stage])
      }
    },
  }
}
