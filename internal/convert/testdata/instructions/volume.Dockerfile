# VOLUME: volumes, relative to WORKDIR
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
WORKDIR /var/lib/app
VOLUME ["/data", "/cache"]
VOLUME logs
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
