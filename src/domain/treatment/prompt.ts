import type { StaffMember } from '../project-runtime.js'

/** Opening Treatment is a CS or CR decision; Treatment staff work in the topic once it exists. */
export function mayOpenTreatment(member: StaffMember | undefined): boolean {
  return member?.roles.some((role) => role === 'cs' || role === 'cs_lead' || role === 'cr') ?? false
}
