# flux-image-bot: the GitHub App server (webhooks, Bull Board, metrics) and its workers.
#
#   docker build -t flux-image-bot .
#   docker run -e APP_ID=… -e PRIVATE_KEY="$(cat key.pem)" -e WEBHOOK_SECRET=… -e REDIS_URL=redis://redis:6379 -p 3000:3000 flux-image-bot
#   docker run … flux-image-bot --role worker
#
# Everything the process needs is in the image; nothing is downloaded when it starts.
# For reproducible builds pin the base image by digest: --build-arg NODE_IMAGE=node:20-bookworm-slim@sha256:…
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency, then tsc (src/ → lib/) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# ---- deps: production dependencies only, from the same lock file ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Files stay owned by root: the app (user node) can read but not change its own code.
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY deploy/docker/healthcheck.mjs ./healthcheck.mjs
USER node
EXPOSE 3000
# GET /healthz on PORT: every role serves it (workers serve health and metrics only).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
ENTRYPOINT ["node", "lib/main.js"]
CMD []
