# LABEL, with an ARG as a template
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.title="app" \
      org.opencontainers.image.version=$VERSION
LABEL team=core
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
