/** The value after `--name` in argv, or undefined. */
export function optionOf(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(`--${name}`)
  return at >= 0 ? argv[at + 1] : undefined
}
