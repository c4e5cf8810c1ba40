declare module 'vitest' {
  export interface ProvidedContext {
    /** Server URL whose user may create and drop databases (DATABASE_URL). */
    adminDatabaseUrl: string
    /** Tags this run's test databases, so teardown drops only its own. */
    testRunId: string
    /** The migrated schema every test database is created from (test/support/schema-template.ts). */
    schemaTemplate: import('./schema-template.js').SchemaTemplate
  }
}

export {}
