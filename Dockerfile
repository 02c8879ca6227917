# syntax=docker/dockerfile:1
# Build stage: cgo is required by the SQLite driver (mattn/go-sqlite3).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# VERSION is what `duban --version` prints: docker build --build-arg VERSION=v1.2.0 .
ARG VERSION=dev
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/duban .

# Run stage: glibc for the cgo binary, CA certificates for api.telegram.org.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data duban \
    && mkdir -p /data && chown duban /data
COPY --from=build /out/duban /usr/local/bin/duban
USER duban
VOLUME /data
ENV DUBAN_DB=/data/duban.db
# Asks a running serve's /healthz on DUBAN_METRICS_LISTEN; passes when that
# is unset (no listener to ask). The binary probes, so the image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["duban", "healthcheck"]
ENTRYPOINT ["duban"]
CMD ["serve"]
