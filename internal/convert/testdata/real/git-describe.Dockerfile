# Modelled on Dockerfiles that stamp `git describe` into the binary.
FROM golang:1.26-alpine AS build
RUN apk add --no-cache git
WORKDIR /src
COPY . .
RUN VERSION=$(git describe --tags --always --dirty) && \
    COMMIT=$(git rev-parse --short HEAD) && \
    CGO_ENABLED=0 go build \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X 'main.built=$(date -u +%Y-%m-%dT%H:%M:%SZ)'" \
      -tags netgo,osusergo \
      -o /usr/local/bin/svc ./cmd/svc

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /usr/local/bin/svc /usr/local/bin/svc
EXPOSE 9000
ENTRYPOINT ["/usr/local/bin/svc"]
