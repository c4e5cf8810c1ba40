import { boolean, datetime, index, mysqlTable, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'
import { primaryId, projectScope, rowId, telegramId, timestamps } from './columns.js'

/** A diversion link (`/link new`, `npm run links -- create`): `<publicUrl>/l/<code>` leads to the client bot. */
export const links = mysqlTable(
  'links',
  {
    id: primaryId(),
    ...projectScope,
    /** In the URL: unique across projects (the URL names no project). */
    code: varchar('code', { length: 16 }).notNull(),
    name: varchar('name', { length: 128 }).notNull(),
    /** The link's own parameters (`--utm k=v`), as a JSON object; a click's query adds to them. */
    params: text('params').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** Telegram user id of the lead who made it; NULL: the command line. */
    createdBy: telegramId('created_by'),
    ...timestamps,
  },
  (t) => [uniqueIndex('links_code_uq').on(t.code), index('links_project_idx').on(t.projectId, t.id)],
)

/**
 * One visit of a diversion link. Personal data (address, user agent): exported and erased with
 * the customer who started the bot with its token (`customerId`).
 */
export const linkClicks = mysqlTable(
  'link_clicks',
  {
    id: primaryId(),
    ...projectScope,
    linkId: rowId('link_id').notNull(),
    /** The client bot's start parameter this click redirected to (A-Za-z0-9_-). */
    token: varchar('token', { length: 32 }).notNull(),
    clickedAt: datetime('clicked_at', { mode: 'date', fsp: 3 }).notNull(),
    ip: varchar('ip', { length: 45 }),
    /** Who visited, for counting unique visitors: a hash of address and user agent (a fixed value once erased). */
    visitor: varchar('visitor', { length: 64 }).notNull(),
    userAgent: varchar('user_agent', { length: 512 }),
    browser: varchar('browser', { length: 64 }),
    os: varchar('os', { length: 64 }),
    device: varchar('device', { length: 64 }),
    referrer: varchar('referrer', { length: 1024 }),
    /** The link's parameters and the click's query (utm_* and any other), as a JSON object. */
    params: text('params'),
    /** The first customer who started the client bot with this click's token, and when. */
    customerId: rowId('customer_id'),
    startedAt: datetime('started_at', { mode: 'date', fsp: 3 }),
  },
  (t) => [
    uniqueIndex('link_clicks_token_uq').on(t.token),
    index('link_clicks_link_idx').on(t.projectId, t.linkId, t.clickedAt),
    index('link_clicks_customer_idx').on(t.customerId),
  ],
)

/** Where a customer came from: the first click they started the bot with (kept) and the latest (updated). */
export const customerAttributions = mysqlTable(
  'customer_attributions',
  {
    id: primaryId(),
    ...projectScope,
    customerId: rowId('customer_id').notNull(),
    firstClickId: rowId('first_click_id').notNull(),
    lastClickId: rowId('last_click_id').notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('customer_attributions_customer_uq').on(t.customerId)],
)
