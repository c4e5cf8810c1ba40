import cron from 'node-cron'
import { z } from 'zod'
import { agentSchema, checkAgents, resolveRoster, staffEntrySchema } from './agents.js'
import { checkUniqueness, checkWebhookUrl } from './cross-checks.js'
import { slaSchema } from './sla.js'
import { autoReplySchema, flowsSchema } from './flows.js'
import { defaultTemplate, TEXT_KEYS } from '../texts/index.js'
import { isAddressOrCidr } from './addresses.js'
import { riskPhraseSchema, riskPromptSchema } from './risk.js'
import { checkTranslation, translationSchema } from './translation.js'
import { assistantSchema, checkAssistants, projectAssistantSchema, resolveAssistants, type AssistantSettings } from './assistant.js'

const tokenRule = [/^\d+:[A-Za-z0-9_-]+$/, 'a bot token like 123456:ABC-def (from @BotFather)'] as const
const token = z.string().regex(...tokenRule)
/** One token, or several for a pool of bots sharing the same role. */
const botTokens = z.union([token.transform((t) => [t]), z.array(token).min(1)])
/** A client talks to one bot, so the client role takes exactly one token (no pool). */
const clientToken = z
  .string({ error: (issue) => (Array.isArray(issue.input) ? 'one bot token; a client talks to one bot, so a list of client bots is not supported' : undefined) })
  .regex(...tokenRule)
const chatId = z.number().int().negative('a supergroup chat id (negative, like -1001234567890)')

/** A text shown to people: an empty one would send an empty message, which Telegram refuses. */
const nonEmptyText = (fallback: string) =>
  z
    .string()
    .refine((s) => s.trim() !== '', 'a non-empty text')
    .default(fallback)
/** Checked here, so a typo stops the process before anything starts. */
export const cronSchedule = (fallback: string) =>
  z
    .string()
    .refine((s) => cron.validate(s), { error: (issue) => `a valid cron schedule like "*/15 * * * *", not "${String(issue.input)}"` })
    .default(fallback)

export type { StaffRole } from './agents.js'

const TEMPLATE_KEYS = ['askEmail', 'invalidEmail', 'unknownEmail', 'cooldown', 'alreadyLinked', 'pendingAssignment', 'welcomeClient', 'rejected', 'topicNotice'] as const
/** A locale tag as Telegram's `language_code` carries it: "de", "pt-br", "en-GB". */
const localeTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'a language tag like "de" or "pt-br"')
/** `texts.<locale>.<key>`: a project's texts in other languages (and its own locale's, winning over the old form). */
const textsSchema = z
  .record(
    localeTag,
    z.record(
      z.string().refine((key) => TEXT_KEYS.has(key), { error: (issue) => `a known text key, not "${String(issue.input)}"` }),
      z.string().refine((s) => s.trim() !== '', 'a non-empty text'),
    ),
  )
  .default({})

/** The old form of a project's text overrides: in its default locale (`locale`); the defaults are the built-in English texts. */
const templatesSchema = z
  .strictObject(
    Object.fromEntries(TEMPLATE_KEYS.map((key) => [key, nonEmptyText(defaultTemplate(key))])) as Record<(typeof TEMPLATE_KEYS)[number], ReturnType<typeof nonEmptyText>>,
  )
  .prefault({})
export type Templates = z.infer<typeof templatesSchema>

const projectSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'a short key of a-z, 0-9, _ or -'),
  name: z.string().min(1),
  bots: z.strictObject({
    client: clientToken,
    cs: botTokens,
    cr: botTokens,
    treatment: botTokens.optional(),
  }),
  /** The client bot's profile, set at start-up when it differs (absent: left as set in @BotFather). */
  clientBot: z
    .strictObject({
      /** Shown in an empty chat with the bot ("What can this bot do?"): at most 512 characters. */
      description: z.string().max(512).optional(),
      /** On the bot's profile and in shared links: at most 120 characters. */
      shortDescription: z.string().max(120).optional(),
    })
    .prefault({}),
  groups: z.strictObject({
    cs: z.strictObject({ chatId, title: z.string().default('CS') }),
    cr: z
      .array(
        z.strictObject({
          // Short: it travels in button data (Telegram allows 64 bytes).
          key: z.string().regex(/^[a-z0-9_-]{1,24}$/, 'a short key (1–24 characters) of a-z, 0-9, _ or -'),
          title: z.string().min(1),
          chatId,
          anonymous: z.boolean().default(false),
        }),
      )
      .min(1, 'at least one CR team'),
    treatment: z.strictObject({ chatId, title: z.string().default('Treatment') }).optional(),
  }),
  /** `designated`: only the agents that list this project (and `staff`); `all`: every agent of the deployment. */
  scope: z.enum(['designated', 'all']).default('designated'),
  /**
   * Remove from the project's staff groups anyone who joins and is not on its roster (bots and
   * `allowedMembers` excepted); the bots then ask Telegram for chat_member updates.
   */
  enforceMembership: z.boolean().default(false),
  /** Telegram user ids that may be in the staff groups without being agents (observers, owners). */
  allowedMembers: z.array(z.number().int().positive('a Telegram user id')).default([]),
  /** Designated staff of this project; after parsing, the project's whole resolved roster (agents merged in). */
  staff: z.array(staffEntrySchema).default([]),
  /** How a customer assigned to a CR team gets an owner among the team's agents (see `src/domain/owners/`). */
  routing: z
    .strictObject({
      /** `online_first`: online agents first, round robin among them; `least_busy`: fewest open customers among online agents. */
      rule: z.enum(['round_robin', 'online_first', 'least_busy']).default('round_robin'),
      /** With nobody online: pick among everyone (round robin), or wait in the project's queue. */
      whenNobodyOnline: z.enum(['round_robin', 'queue']).default('round_robin'),
      /** Open customers an agent may own at once; beyond it, customers wait in the queue. */
      maxOpenPerAgent: z.number().int().positive().optional(),
    })
    .prefault({}),
  presence: z
    .strictObject({
      /** An agent without an explicit status counts as online this long after posting in a customer topic. */
      activeMinutes: z.number().positive().default(15),
    })
    .prefault({}),
  /** The project's default locale: the old-form texts below are in it, and clients whose language the project lacks read it. */
  locale: localeTag.default('en'),
  /** The locale of staff texts (cards, notices, answers to commands); default: `locale`. */
  staffLocale: localeTag.optional(),
  templates: templatesSchema,
  texts: textsSchema,
  relay: z
    .strictObject({
      notePrefix: z.string().min(1).default('//'),
      /** Role labels shown in attributions. */
      roleLabels: z.strictObject({ cs: z.string().default('CS'), cr: z.string().default('CR'), treatment: z.string().default('Treatment') }).prefault({}),
      anonymousCs: z.boolean().default(false),
      anonymousTreatment: z.boolean().default(false),
      /** Told once to a client banned with /ban, at their first message after the ban. */
      bannedReply: z.string().min(1).default(defaultTemplate('bannedReply')),
    })
    .prefault({}),
  flood: z
    .strictObject({
      /** A client's messages relayed per window; the excess is stored, counted in one notice per window, and the client asked to slow down. */
      maxMessages: z.number().int().positive().default(20),
      windowSeconds: z.number().int().positive().default(60),
      slowDownReply: z.string().min(1).default(defaultTemplate('slowDownReply')),
    })
    .prefault({}),
  onboarding: z
    .strictObject({
      maxEmailFailures: z.number().int().positive().default(3),
      failureWindowMinutes: z.number().positive().default(10),
      cooldownMinutes: z.number().positive().default(10),
    })
    .prefault({}),
  treatment: z
    .strictObject({
      /** How many of the customer's latest messages are replayed into a Treatment topic opened by /treatment. */
      contextMessages: z.number().int().min(0).max(100).default(10),
    })
    .prefault({}),
  topics: z
    .strictObject({
      /** Close a customer's topic after this many days without messages (off when absent); the next client message reopens it. */
      idleCloseDays: z.number().positive().optional(),
    })
    .prefault({}),
  /** Unanswered reminders, business hours and the outside-hours auto-reply (`false`: off). */
  sla: slaSchema,
  /** Answers the client bot gives before staff are bothered (keywords or a `/regex/`), in order; the first match answers. */
  autoReplies: autoReplySchema,
  /** The project's command flows, a YAML file (`flows:` at its top; relative to the config file), re-read on reload. */
  flowsFile: z.string().min(1).optional(),
  /** The flows inline (tests, small setups); with `flowsFile`, the file's flows. */
  flows: flowsSchema.optional(),
  /** Resolving a conversation (/resolve, a person closing the CR topic): whether the client is asked for a 1–5 rating, and in which words. */
  resolve: z
    .strictObject({
      askRating: z.boolean().default(false),
      ratingPrompt: nonEmptyText(defaultTemplate('ratingPrompt')),
      /** Shown on the prompt once rated ({rating}: 1–5). */
      ratingThanks: nonEmptyText(defaultTemplate('ratingThanks')),
    })
    .prefault({}),
  reassignment: z
    .strictObject({
      /** "Tonight" in the reassign buttons means this hour, UTC. */
      tonightHourUtc: z.number().int().min(0).max(23).default(22),
      /** How much history is replayed into the new topic (all of it when both are absent). */
      replay: z.strictObject({ lastMessages: z.number().int().positive().optional(), lastDays: z.number().positive().optional() }).prefault({}),
      /** What happens to the old topic after the replay. */
      oldTopic: z.enum(['close', 'delete']).default('close'),
      notifyClient: z.boolean().default(false),
      clientTemplate: nonEmptyText(defaultTemplate('reassignedClient')),
    })
    .prefault({}),
  /** Risk phrases checked in every staff message to a client (the starting set; CS leads change it with /risk). */
  riskPhrases: z.array(riskPhraseSchema).default([]),
  /** The "Send anyway / Cancel" prompt of a confirm phrase: when it falls back to a normal reply, when it expires. */
  riskPrompt: riskPromptSchema,
  /** Translation between the staff's language and each client's (see config/translation.ts). */
  translation: translationSchema,
  /** The assistant's provider for this project, over the deployment's `assistant` (README "Assistant"), its knowledge base (README "Knowledge base") and modes (README "Answer mode"); after parsing, the merged settings. */
  assistant: projectAssistantSchema,
})
/** A project's config; `assistant` is the merged provider (absent: no assistant for this project). */
export type ProjectConfig = Omit<z.infer<typeof projectSchema>, 'assistant'> & { assistant?: AssistantSettings }

export const configSchema = z
  .strictObject({
    telegram: z
      .strictObject({
        apiRoot: z.string().url().regex(/[^/]$/, 'a URL without a trailing slash').default('https://api.telegram.org'),
        /** Seconds a getUpdates call waits for updates. */
        pollTimeoutSeconds: z.number().int().min(0).max(50).default(30),
        /** Space the bots' direct calls (answers, command replies) with grammY's throttler. */
        throttleDirectCalls: z.boolean().default(true),
        /** How updates arrive: long polling (default) or a webhook endpoint per bot. */
        mode: z.enum(['polling', 'webhook']).default('polling'),
        webhook: z
          .strictObject({
            /** Public HTTPS base URL Telegram posts to, e.g. https://relay.example.com (no trailing slash). */
            publicUrl: z.string().url().regex(/[^/]$/, 'a URL without a trailing slash'),
            host: z.string().default('0.0.0.0'),
            port: z.number().int().min(0).max(65535).default(8080),
            /** Shared secret; each bot gets its own token derived from it. */
            secret: z.string().min(16, 'at least 16 characters'),
            maxConnections: z.number().int().min(1).max(100).default(40),
          })
          .optional(),
      })
      .prefault({})
      .refine((t) => t.mode !== 'webhook' || t.webhook, { message: 'webhook mode needs telegram.webhook with publicUrl and secret', path: ['webhook'] })
      .superRefine(checkWebhookUrl),
    /**
     * `url`, or `urls`: the nodes of a replicated database (Galera) tried in order, the service
     * writing through one at a time and moving to the next when it fails. Either gives the other:
     * `url` is the first of `urls`, `urls` is `[url]`.
     */
    database: z
      .strictObject({
        url: z
          .string()
          .regex(/^mysql:\/\//, 'a mysql:// URL')
          .optional(),
        urls: z
          .array(z.string().regex(/^mysql:\/\//, 'a mysql:// URL'))
          .min(1)
          .optional(),
      })
      .refine((d) => d.url !== undefined || d.urls !== undefined, { message: 'database needs url or urls' })
      .transform((d) => ({ url: d.url ?? d.urls![0]!, urls: d.urls ?? [d.url!] })),
    /** The admin HTTP server (/healthz, /readyz, /metrics); never the webhook port. false turns it off. */
    http: z
      .union([
        z.literal(false),
        z.strictObject({
          /** 0 picks any free port (tests). */
          port: z.number().int().min(0).max(65535).default(9090),
          host: z.string().default('127.0.0.1'),
          /** The public surface on a port of its own (else it is served on this one). */
          public: z.strictObject({ port: z.number().int().min(0).max(65535), host: z.string().default('0.0.0.0') }).optional(),
        }),
      ])
      .prefault({}),
    log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).prefault({}),
    delivery: z
      .strictObject({
        /** Concurrent senders per outbox priority class (the `live` class gets twice as many). */
        workersPerClass: z.number().int().min(1).max(32).optional(),
        /** The name `workersPerClass` had while the outbox had lanes: still read, the new name wins. */
        workersPerLane: z.number().int().min(1).max(32).optional(),
        maxAttempts: z.number().int().min(1).default(8),
        pollIntervalMs: z.number().int().min(10).default(250),
        /** Album parts arriving within this window are sent as one album. */
        albumWindowMs: z.number().int().min(0).default(600),
        /** Seconds a claimed row stays reserved; a crashed worker's rows are retried after it. */
        leaseSeconds: z.number().int().min(5).default(60),
        /** On shutdown, how long sends in flight may take to finish before the process exits anyway. */
        drainSeconds: z.number().min(0).default(10),
        /**
         * When a group's backlog (waiting copies ÷ (groupPerMinute × pool bots)) passes this many
         * minutes, consecutive text copies for one topic go out as one message, and the leads get an
         * alarm. 0 or false: never (and off when budgets are off: the backlog is measured against them).
         */
        coalesceAfterMinutes: z.union([z.literal(false), z.number().min(0)]).default(2),
        /**
         * Broadcasts set `allow_paid_broadcast`: Telegram lets the bot send up to 1000 messages a second,
         * for 0.1 Star per message beyond the free limit, taken from the bot's balance (README "Broadcasts").
         */
        allowPaidBroadcast: z.boolean().default(false),
        /** Per-bot send budgets the planner keeps to (Telegram's limits); false turns planning off. */
        budgets: z
          .union([
            z.literal(false),
            z.strictObject({
              privatePerSecond: z.number().positive().default(1),
              privateBurst: z.number().int().positive().default(3),
              groupPerMinute: z.number().int().positive().default(20),
              globalPerSecond: z.number().int().positive().default(30),
            }),
          ])
          .prefault({}),
      })
      .transform(({ workersPerLane, workersPerClass, ...delivery }) => ({ ...delivery, workersPerClass: workersPerClass ?? workersPerLane ?? 2 }))
      .prefault({}),
    /** node-cron schedules of the background jobs (each run happens in one process only). */
    cron: z
      .strictObject({
        reassignments: cronSchedule('* * * * *'),
        recordsSync: cronSchedule('*/15 * * * *'),
        /** Closes topics idle for longer than projects[].topics.idleCloseDays. */
        idleTopics: cronSchedule('0 * * * *'),
        /** Pings owners and tells CS leads about client messages left unanswered (projects[].sla). */
        unansweredReminders: cronSchedule('* * * * *'),
        /** Prunes delivery history older than retention.days. */
        retention: cronSchedule('30 3 * * *'),
        /** Routes customers waiting for a CR owner as agents come online or free up (seconds field: every 2 s). */
        queue: cronSchedule('*/2 * * * * *'),
        /** Posts risk prompts nobody pressed as normal replies, expires old ones, reloads /risk changes (every 5 s). */
        riskPrompts: cronSchedule('*/5 * * * * *'),
        /** Counts running broadcasts and edits their progress into the confirmations (every second; edits at most every 3 s). */
        broadcasts: cronSchedule('* * * * * *'),
      })
      .prefault({}),
    /**
     * The instances' leases (README "Scaling out"): each renews what it holds every `heartbeatMs`;
     * one that stops renewing loses its bots and cron after `ttlMs`, and another takes them up
     * within `ttlMs + heartbeatMs`.
     */
    leases: z
      .strictObject({
        heartbeatMs: z.number().int().min(50).default(2000),
        ttlMs: z.number().int().min(150).default(6000),
        /** Spread the bots' polling over the live instances (each polls its share; one that joins gets its share handed over): for instances on several machines. */
        spreadBots: z.boolean().default(false),
      })
      .refine((l) => l.ttlMs >= 3 * l.heartbeatMs, { message: 'ttlMs at least 3 × heartbeatMs (a lease survives one late renewal)', path: ['ttlMs'] })
      .prefault({}),
    /** Handled updates and sent outbox rows are pruned after `days`; stored messages and their relay links after `messageDays` (absent: kept). */
    retention: z
      .strictObject({
        days: z.number().int().min(1).default(30),
        messageDays: z.number().int().min(1).optional(),
      })
      .prefault({}),
    projects: z.array(projectSchema).min(1, 'at least one project'),
    /** The agents of the deployment, with the projects (roles, CR teams) each is authorised for. */
    agents: z.array(agentSchema).default([]),
    /** Diversion links (`/link new`, `npm run links`): where they point and whom to believe about a visitor's address. */
    links: z
      .strictObject({
        /** The public surface's base URL as visitors reach it, e.g. https://go.example.com (links read `<publicUrl>/l/<code>`). */
        publicUrl: z
          .string()
          .url()
          .regex(/^https?:\/\/.*[^/]$/, 'an http(s) URL without a trailing slash')
          .optional(),
        /** Reverse proxies (addresses or CIDRs) whose X-Forwarded-For names the visitor; from anyone else it is ignored. */
        trustedProxies: z.array(z.string().refine(isAddressOrCidr, 'an IP address or a CIDR like 10.0.0.0/8')).default([]),
      })
      .prefault({}),
    /** Telegram user ids of the deployment's operators: only they may `/reload` the config from a chat. */
    operators: z.array(z.number().int().positive()).default([]),
    /** The assistant's OpenAI-compatible provider, deployment-wide (projects[].assistant overrides it). */
    assistant: assistantSchema,
  })
  .superRefine(checkUniqueness)
  .superRefine(checkAgents)
  .superRefine(checkAssistants)
  .superRefine(checkTranslation)
  // One resolved roster per project: what every permission and attribution asks; its assistant merged over the deployment's.
  .transform((config) => ({
    ...config,
    projects: config.projects.map((project): ProjectConfig => ({ ...project, staff: resolveRoster(project, config.agents), assistant: resolveAssistants(config, project) })),
  }))

export type Config = z.infer<typeof configSchema>
export type ConfigInput = z.input<typeof configSchema>
