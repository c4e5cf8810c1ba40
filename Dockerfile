# topicdesk service image. Configuration comes from a mounted config file and the environment.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm install --no-save tsx
COPY tsconfig.json drizzle.config.ts ./
COPY src ./src
COPY migrations ./migrations
COPY config ./config
USER node
ENV TOPICDESK_CONFIG=/app/config/topicdesk.yaml
CMD ["npx", "tsx", "src/main.ts"]
