# syntax=docker/dockerfile:1
# One image for every Node process of the pipeline (ingest-http, bridge, worker, dashboard, the
# compose `setup` job and the CLI). TypeScript runs as is through Node's type stripping: no build step.
FROM node:24-bookworm-slim

WORKDIR /app

# Dependencies first, so that a source change does not reinstall them. The root package links the
# CLI package (file:services/cli), so its manifest and bin must exist before `npm ci`.
# Never --omit=optional: chdb's platform binary is an optional dependency (compose does not use
# chdb, but the CLI's local stack does). Dev dependencies (test and lint tools, the bundled `node`
# binary) are not needed at run time.
COPY package.json package-lock.json ./
COPY services/cli/package.json services/cli/package.json
COPY services/cli/bin services/cli/bin
RUN npm ci --omit=dev --no-audit --no-fund \
    && npm cache clean --force

COPY . .

ENV NODE_ENV=production
USER node

# Each compose service says which entry it runs; on its own the image prints the CLI's help.
CMD ["node", "services/cli/bin/influence.mjs", "--help"]
