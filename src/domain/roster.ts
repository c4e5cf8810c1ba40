import type { StaffRole } from '../config/index.js'

/** A resolved roster entry: a project's designated staff or an authorised agent. */
export interface StaffMember {
  id: number
  name: string
  roles: StaffRole[]
  /** CR teams (keys) the member belongs to, for routing by owner. */
  teams: string[]
  languages?: string[] | undefined
}

/**
 * The people authorised in one project, read on every decision; `/reload` and SIGHUP replace
 * it as a whole, so a removed agent is ignored from the next update on, without a restart.
 */
export class Roster {
  private byId: Map<number, StaffMember>

  constructor(members: readonly StaffMember[]) {
    this.byId = new Map(members.map((m) => [m.id, m]))
  }

  get(userId: number): StaffMember | undefined {
    return this.byId.get(userId)
  }

  members(): StaffMember[] {
    return [...this.byId.values()]
  }

  /** Swaps in a new roster in one step. */
  replace(members: readonly StaffMember[]): void {
    this.byId = new Map(members.map((m) => [m.id, m]))
  }
}
