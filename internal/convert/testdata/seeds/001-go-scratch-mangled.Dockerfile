# From /work/shared/seeds/001_2e1656e170581be7.txt ("Go Application"), line
# numbers removed. The page lost the --from=builder of both COPY lines; they
# are kept as published, so these COPY lines read from the build context.
# Build stage
FROM golang:1.21-alpine AS builder

WORKDIR /app

# Download dependencies
COPY go.mod go.sum ./
RUN go mod download

# Build binary
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -o /app/server ./cmd/server

# Production stage - minimal image
FROM scratch

COPY /app/server /server
COPY /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/

EXPOSE 8080
ENTRYPOINT ["/server"]
