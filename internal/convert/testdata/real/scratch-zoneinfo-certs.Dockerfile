# Modelled on the common "scratch + zoneinfo + certs" pattern of Go services.
ARG GO_VERSION=1.26
FROM golang:${GO_VERSION}-alpine AS builder
RUN apk add --no-cache ca-certificates tzdata git
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ENV CGO_ENABLED=0
RUN go build -trimpath -ldflags "-s -w" -o /bin/api ./cmd/api

FROM scratch
COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=builder /bin/api /api
ENV TZ=Europe/Berlin
USER 65534:65534
EXPOSE 8080
ENTRYPOINT ["/api"]
