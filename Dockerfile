# Campfire in a container: the single executable on a slim Debian, run as a user of its own.
#   docker build -t campfire .
#   docker run -d --name campfire -p 3000:3000 -v campfire-data:/data campfire
# The data (database, files) lives in the /data volume; back it up with
#   docker exec campfire campfire backup /data/backups/now.tar

FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json bunfig.toml tsconfig.json build.ts ./
RUN npm install --no-audit --no-fund
COPY src src
COPY templates templates
COPY assets assets
RUN node_modules/.bin/bun build.ts --outfile /out/campfire

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin campfire \
 && mkdir /data && chown campfire:campfire /data
COPY --from=build /out/campfire /usr/local/bin/campfire
USER campfire
ENV CAMPFIRE_DATA_DIR=/data PORT=3000 HOST=0.0.0.0
VOLUME /data
EXPOSE 3000
# SIGTERM drains requests and checkpoints the database (campfire stops within 20 s).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=6s --start-period=10s CMD ["campfire", "healthcheck"]
ENTRYPOINT ["campfire"]
CMD ["serve"]
