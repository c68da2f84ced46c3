# HEALTHCHECK in shell form needs a shell: a warning on scratch
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
COPY --from=build /out/app /app
HEALTHCHECK CMD wget -q -O- http://localhost:8080/healthz || exit 1
ENTRYPOINT ["/app"]
