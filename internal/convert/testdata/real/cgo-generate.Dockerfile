# cgo and go generate: what packager cannot do alone is a warning.
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN go generate ./... && make assets
RUN CGO_ENABLED=1 go build -o /out/db ./cmd/db

FROM gcr.io/distroless/base-debian12
COPY --from=build /out/db /db
ENTRYPOINT ["/db"]
