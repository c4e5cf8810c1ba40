import { defineConfig } from 'vitest/config'

/** `npm run verify:runtime`: the production runtime stage, rebuilt in a temporary directory. */
export default defineConfig({
  test: {
    include: ['test/runtime/*.check.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 60_000,
  },
})
