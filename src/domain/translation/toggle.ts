import { eq } from 'drizzle-orm'
import { inProject } from '../../db/project-scope.js'
import { customers } from '../../db/schema/index.js'
import { customerName, findCustomer } from '../customers.js'
import type { DomainDeps } from '../deps.js'
import { textsOf, type ProjectRuntime } from '../project-runtime.js'

/**
 * `/tr off` and `/tr on` in one of a customer's topics (any staff member of the group, as every
 * topic command): stops or resumes translation both ways for that customer (stored on the
 * customer). Returns the answer to show.
 */
export async function setTranslation(deps: Pick<DomainDeps, 'db'>, project: ProjectRuntime, customerId: number, argument: string): Promise<string> {
  const t = textsOf(project)
  if (!project.config.translation) return t.staff('trNotConfigured')
  const wanted = argument.trim().toLowerCase()
  if (wanted !== 'on' && wanted !== 'off') return t.staff('trUsage')
  const off = wanted === 'off'
  const customer = await findCustomer(deps.db, customerId)
  if (!customer || customer.projectId !== project.id) return t.staff('customerGone')
  const name = customerName(customer)
  const [result] = await deps.db
    .update(customers)
    .set({ translationOff: off })
    .where(inProject(customers, project.id, eq(customers.id, customerId), eq(customers.translationOff, !off)))
  if (result.affectedRows === 0) return t.staff(off ? 'trAlreadyOff' : 'trAlreadyOn', { name })
  return t.staff(off ? 'trTurnedOff' : 'trTurnedOn', { name })
}
