# topicdesk service image: compiled JavaScript on a slim Node 22 LTS runtime with production
# dependencies only, run as a non-root user. Configuration comes from a mounted file and the
# environment (see deploy/compose.yaml and the README).

# --- build: the TypeScript compiler and every dev dependency, then dist/ ---
# Pinned to a patch release: bump it deliberately (package.json keeps engines >= 20.19 for development).
FROM node:22.23.4-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

# --- runtime: dist/, migrations and production dependencies, nothing else ---
FROM node:22.23.4-bookworm-slim AS runtime
WORKDIR /app
# The admin server (/healthz, /readyz, /metrics, /api/v1) listens on every interface of the
# container, so compose can publish it and Prometheus can scrape it; these override http.host and
# http.port of the config file (`http: false` there keeps it off).
ENV NODE_ENV=production \
    TOPICDESK_CONFIG=/app/config/topicdesk.yaml \
    TOPICDESK_HTTP_HOST=0.0.0.0 \
    TOPICDESK_HTTP_PORT=9090
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY config/example.yaml ./config/example.yaml
USER node
EXPOSE 9090
# /healthz of the admin server, on the port the service listens on (test/runtime/container.test.ts runs this command).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.TOPICDESK_HTTP_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations run at start-up; SIGTERM drains in-flight sends before the process exits.
CMD ["node", "dist/main.js"]
