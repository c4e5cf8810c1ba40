import ts from 'typescript'
import { expect, it } from 'vitest'

/**
 * dist/ (tsconfig.build.json, which the Dockerfile compiles) holds only what runs in production:
 * no file of the simulator or the demo is compiled, neither listed nor reached by an import.
 */
it('the production build compiles no file of the simulator or the demo', () => {
  const { config } = ts.readConfigFile('tsconfig.build.json', (path) => ts.sys.readFile(path))
  const { options, fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, process.cwd())
  const program = ts.createProgram({ rootNames: fileNames, options: { ...options, noEmit: true } })
  const compiled = program
    .getSourceFiles()
    .map((file) => file.fileName.slice(process.cwd().length + 1))
    .filter((name) => name.startsWith('src/'))
  expect(compiled).toContain('src/main.ts')
  expect(compiled.filter((name) => name.startsWith('src/simulator/') || name.startsWith('src/demo/'))).toEqual([])
})
