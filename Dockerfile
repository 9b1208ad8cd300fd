# Strop's app image: Next.js standalone output, run as a non-root user, migrations applied at start.
# Build:  docker build -t strop .        Run with PostgreSQL, Redis and Inngest: compose.yaml.
# (Not built in this repository's CI: these machines have no network for base images. The file is
#  linted in `npm test`, tests/deploy-files.test.ts.)
ARG NODE_IMAGE=node:20.19-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source on install.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 STROP_STANDALONE=1
RUN npm ci --no-audit --no-fund && npm run build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    STROP_DATA_DIR=/data \
    STROP_MIGRATIONS_DIR=/app/prisma/migrations \
    STROP_MIGRATE_ON_START=1
RUN groupadd --system --gid 1001 strop \
 && useradd --system --uid 1001 --gid strop --home-dir /app strop \
 && mkdir -p /data \
 && chown strop:strop /data
COPY --from=build --chown=strop:strop /app/.next/standalone ./
COPY --from=build --chown=strop:strop /app/.next/static ./.next/static
COPY --from=build --chown=strop:strop /app/public ./public
# Read at run time, not traced by Next: the migrations and the template library.
COPY --from=build --chown=strop:strop /app/prisma/migrations ./prisma/migrations
COPY --from=build --chown=strop:strop /app/lib/templates/library ./lib/templates/library
USER strop
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
