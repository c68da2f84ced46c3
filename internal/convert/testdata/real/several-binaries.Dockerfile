# Modelled on projects that ship a server and its admin tools in one image.
FROM golang:1.26 AS build
WORKDIR /build
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN mkdir -p /out && \
    CGO_ENABLED=0 go build -o /out/ ./cmd/server && \
    CGO_ENABLED=0 go build -o /out/ ./cmd/migrate
RUN CGO_ENABLED=0 go build -o /out/healthcheck ./cmd/healthcheck

FROM scratch
COPY --from=build /out/ /usr/local/bin/
USER 10001
EXPOSE 8080 9090
VOLUME /var/lib/server
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s CMD ["/usr/local/bin/healthcheck"]
ENTRYPOINT ["/usr/local/bin/server"]
CMD ["--config", "/etc/server/config.yaml"]
