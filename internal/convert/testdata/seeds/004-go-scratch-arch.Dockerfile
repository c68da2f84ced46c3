# From /work/shared/seeds/004_55e54f59488f50bb.txt (go_scratch.Dockerfile).
FROM golang:1.22-alpine AS builder
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOARCH=amd64 go build -ldflags="-s -w" -o server .
FROM scratch
COPY --from=builder /app/server /server
ENTRYPOINT ["/server"]
