# syntax=docker/dockerfile:1
# The operator image: one bundled file with only the code the CLI reaches (scripts/bundle.ts says why) and
# the licences of what it bundles; non-root, read-only root file system friendly (it writes nothing to disk). `docker build -t flowprobe .`; deploy/ runs it as
# `operator`, which sizes its heap from the container's memory limit (src/cli/heap-size.ts), so the
# Deployment sets no Node options.

FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/bundle.ts ./scripts/
COPY src ./src
RUN npm run bundle

FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/dist/flowprobe.mjs /src/dist/flowprobe.mjs.licenses.txt ./
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/nodejs/bin/node", "flowprobe.mjs"]
CMD ["operator"]
