# HEALTHCHECK NONE
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static
COPY --from=build /out/app /app
HEALTHCHECK NONE
ENTRYPOINT ["/app"]
