import { z } from 'zod'
import { isKnownTimeZone, WEEKDAYS } from '../shared/calendar.js'

const clockTime = (what: string, allowEndOfDay: boolean) =>
  z
    .string()
    .regex(
      allowEndOfDay ? /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/ : /^([01]\d|2[0-3]):[0-5]\d$/,
      `${what} as HH:MM (24-hour clock${allowEndOfDay ? ', 24:00 for the end of the day' : ''})`,
    )

/** When staff work; reminders count minutes only inside these hours. */
const businessHoursSchema = z
  .strictObject({
    timeZone: z.string().refine(isKnownTimeZone, { error: (issue) => `an IANA time zone like "Europe/Berlin", not "${String(issue.input)}"` }),
    days: z.array(z.enum(WEEKDAYS)).min(1, 'at least one day (mon, tue, wed, thu, fri, sat, sun)').default(['mon', 'tue', 'wed', 'thu', 'fri']),
    from: clockTime('the opening time', false).default('09:00'),
    to: clockTime('the closing time', true).default('18:00'),
  })
  .refine((hours) => hours.from < hours.to, { message: 'from must be before to (hours over midnight are not supported)', path: ['to'] })

/** Unanswered reminders (issue 10); `enabled: false` turns them and the auto-reply off. */
export const slaSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Business minutes a client message may wait for a staff answer before the owner is pinged in the CR topic. */
    firstReminderMinutes: z.number().positive().default(10),
    /** Business minutes after which the CS leads are told in the Onboarding topic. */
    escalateMinutes: z.number().positive().default(30),
    /** Absent: every minute counts. */
    businessHours: businessHoursSchema.optional(),
    /** Told to a client writing outside business hours, once per conversation (until a staff answer or a resolve). */
    outsideHoursReply: z
      .string()
      .refine((s) => s.trim() !== '', 'a non-empty text')
      .optional(),
  })
  .refine((sla) => sla.escalateMinutes >= sla.firstReminderMinutes, { message: 'escalateMinutes must not be below firstReminderMinutes', path: ['escalateMinutes'] })
  .refine((sla) => !sla.outsideHoursReply || sla.businessHours, { message: 'outsideHoursReply needs businessHours', path: ['outsideHoursReply'] })
  .prefault({})

export type SlaConfig = z.infer<typeof slaSchema>
