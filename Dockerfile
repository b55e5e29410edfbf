# syntax=docker/dockerfile:1
# 报问 baowen — production image. Two stages:
#   build:   full toolchain; npm ci compiles the native addons (better-sqlite3, hnswlib-node) for this
#            image's Node and glibc; tsc compiles src/ → dist/; dev dependencies are pruned.
#   runtime: the same slim base (so the compiled addons fit), no compiler, runs as `node`.
# Run the bot with `node dist/main.js` (what `npm start` does); the CLIs (`npm run index`, `ask`,
# `digest`) run through tsx, which is a production dependency for that reason.

FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# onnxruntime-node: CPU build only, never download GPU files at install time.
ENV ONNXRUNTIME_NODE_INSTALL_CUDA=skip ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    INDEX_DIR=/index \
    EMBED_LOCAL_DIR=/models \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json tsconfig.json ./
COPY locales ./locales
COPY scripts ./scripts
COPY src ./src
COPY seeds ./seeds
# The CLIs import src/ through tsx; dist/.build-stamp is newer than src/, so nothing rebuilds at start.
RUN touch dist/.build-stamp \
 && mkdir -p /data /index /models \
 && chown node:node /data /index /models
USER node
EXPOSE 8080
VOLUME ["/data", "/index", "/models"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/main.js"]
