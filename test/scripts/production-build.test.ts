import ts from 'typescript'
import { expect, it } from 'vitest'

/**
 * dist/ (tsconfig.build.json, which the Dockerfile compiles) holds only what runs in production:
 * no file of the simulator or the demo is compiled, neither listed nor reached by an import.
 */
it('the production build compiles no file of the simulator or the demo', () => {
  const { config } = ts.readConfigFile('tsconfig.build.json', (path) => ts.sys.readFile(path))
  const { options, fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, process.cwd())
  const compilerOptions = { ...options, noEmit: true }
  // Only which files of src/ are reached matters: declaration files of packages (and the libs)
  // are read as empty, so the program resolves every import without parsing megabytes of types.
  const host = ts.createCompilerHost(compilerOptions)
  const readSource = host.getSourceFile.bind(host)
  host.getSourceFile = (fileName, language, ...rest) =>
    fileName.includes('/node_modules/') ? ts.createSourceFile(fileName, '', language) : readSource(fileName, language, ...rest)
  const program = ts.createProgram({ rootNames: fileNames, options: compilerOptions, host })
  const compiled = program
    .getSourceFiles()
    .map((file) => file.fileName.slice(process.cwd().length + 1))
    .filter((name) => name.startsWith('src/'))
  expect(compiled).toContain('src/main.ts')
  expect(compiled.filter((name) => name.startsWith('src/simulator/') || name.startsWith('src/demo/'))).toEqual([])
})
