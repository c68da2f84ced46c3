# From /work/shared/seeds/002_67512403b001bf0c.txt ("Step-by-Step: Go Application").
# ---- Stage 1: Build ----
FROM golang:1.22-alpine AS builder
WORKDIR /app

# Download dependencies first (cached unless go.mod changes)
COPY go.mod go.sum ./
RUN go mod download

# Build a statically linked binary
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build \
    -ldflags="-w -s" \
    -o /app/server \
    ./cmd/server

# ---- Stage 2: Minimal runtime ----
# scratch is a completely empty base image - literally nothing
FROM scratch
COPY --from=builder /app/server /server

# Copy TLS certificates so HTTPS calls work
COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/

EXPOSE 8080
ENTRYPOINT ["/server"]
