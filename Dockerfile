# topicdesk service image: compiled JavaScript on a slim Node 20 runtime with production
# dependencies only, run as a non-root user. Configuration comes from a mounted file and the
# environment (see deploy/compose.yaml and the README).

# --- build: the TypeScript compiler and every dev dependency, then dist/ ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

# --- runtime: dist/, migrations and production dependencies, nothing else ---
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    TOPICDESK_CONFIG=/app/config/topicdesk.yaml
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY config/example.yaml ./config/example.yaml
USER node
# The admin server (http.port, default 9090 on 127.0.0.1) answers /healthz inside the container.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.TOPICDESK_HTTP_PORT || 9090) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations run at start-up; SIGTERM drains in-flight sends before the process exits.
CMD ["node", "dist/main.js"]
