# CloakRadar: one image for `serve` (the default), `migrate` and the other commands.
# Build: docker build -t cloakradar .    Run: docker run -p 3000:3000 -v cloakradar-data:/data cloakradar

# Dependencies in a stage of their own: better-sqlite3 may need a compiler when no prebuilt binary fits.
FROM node:20-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# esbuild (a runtime dependency) compiles the server below; tsx stays as bin/'s fallback. Dev tools are left out.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY scripts/build-server.mjs ./scripts/
# The server runs compiled (dist/), as `npm start` runs it: about 60 MiB less resident than the tsx loader.
RUN node scripts/build-server.mjs
# The image's own user (uid 1000), never root; it owns only the data folder.
RUN mkdir -p /data && chown node:node /data
USER node
# SQLite file, generated JWT secret (when JWT_SECRET is not set), IP-list caches.
VOLUME ["/data"]
EXPOSE 3000
# /healthz answers while the process runs; node:20-slim has no curl, node's fetch does the job.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself, so in-flight clicks are flushed before it exits.
CMD ["node", "bin/cloakradar.js", "serve"]
