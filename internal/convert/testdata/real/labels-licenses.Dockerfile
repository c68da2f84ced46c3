# Modelled on release Dockerfiles that ship OCI labels and license files.
FROM golang:1.26-alpine AS build
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
WORKDIR /workspace
COPY . .
RUN CGO_ENABLED=0 go build -ldflags "-s -w -X main.version=${VERSION} -X main.revision=${REVISION}" -o /workspace/bin/tool ./cmd/tool

FROM scratch
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="tool" \
      org.opencontainers.image.description="A tool" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
COPY LICENSE /licenses/LICENSE
COPY --chown=0:0 third_party/NOTICES /licenses/
COPY --from=build /workspace/bin/tool /usr/local/bin/tool
USER 65532:65532
WORKDIR /home/tool
ENTRYPOINT ["/usr/local/bin/tool"]
CMD ["--help"]
