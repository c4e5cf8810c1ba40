import { sql, type SQL } from 'drizzle-orm'

/** Values as the parameters of an `IN (…)` list in a raw statement: `IN (${sqlList(ids)})`. */
export const sqlList = (values: readonly (string | number)[]): SQL =>
  sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )
