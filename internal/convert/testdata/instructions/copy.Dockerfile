# COPY from the context: files: with --chmod and --chown
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
WORKDIR /srv
COPY --chmod=0644 --chown=65532:65532 static/ ./static/
COPY LICENSE NOTICE /licenses/
COPY config.yaml /etc/app/config.yaml
COPY certs/corp-ca.pem /usr/local/share/ca-certificates/corp-ca.pem
COPY *.md /docs/
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
