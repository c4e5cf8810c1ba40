import { execFileSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'

/**
 * `npm run build` in a fresh clone (no node_modules) installs the dependencies first, as `demo`
 * and `test` do. The build script's command line runs as npm runs it (node_modules/.bin first
 * on PATH) with a stand-in `npm` whose `ci` installs a stand-in `tsc`: no network, no compile.
 */
it('npm run build installs what is missing before compiling', () => {
  const clone = mkdtempSync(join(tmpdir(), 'topicdesk-clone-'))
  for (const path of ['package.json', 'package-lock.json', 'scripts/ensure-deps.sh']) cpSync(path, join(clone, path))
  const fakeBin = join(clone, 'fake-bin')
  mkdirSync(fakeBin)
  writeFileSync(
    join(fakeBin, 'npm'),
    [
      '#!/bin/sh',
      '[ "$1" = ci ] || exit 2',
      'mkdir -p node_modules/.bin',
      'printf \'#!/bin/sh\\necho "$@" > compiled\\n\' > node_modules/.bin/tsc',
      'chmod +x node_modules/.bin/tsc',
      'echo ci >> installs',
    ].join('\n'),
  )
  chmodSync(join(fakeBin, 'npm'), 0o755)
  const build = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.build!
  const run = () => execFileSync('bash', ['-c', build], { cwd: clone, env: { PATH: `${join(clone, 'node_modules/.bin')}:${fakeBin}:/usr/bin:/bin` }, stdio: 'pipe' })

  run()
  expect(readFileSync(join(clone, 'compiled'), 'utf8').trim()).toBe('-p tsconfig.build.json')
  // Installed once: a second build finds node_modules up to date.
  run()
  expect(readFileSync(join(clone, 'installs'), 'utf8').trim().split('\n')).toEqual(['ci'])
  expect(existsSync(join(clone, 'node_modules/.topicdesk-lock-hash'))).toBe(true)
})
