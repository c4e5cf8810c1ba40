import { stringify } from 'csv-stringify/sync'

/**
 * A cell a spreadsheet would read as a formula (it starts with `=`, `+`, `-` or `@`) gets a
 * leading `'`, so opening an export never runs what a client or agent typed (CSV injection).
 */
export function escapeFormula(cell: string): string {
  return /^[=+\-@]/.test(cell) ? `'${cell}` : cell
}

/** A CSV document (RFC 4180 quoting by csv-stringify, formula cells escaped), header first. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return stringify([[...header], ...rows.map((row) => [...row])], { cast: { string: escapeFormula } })
}
