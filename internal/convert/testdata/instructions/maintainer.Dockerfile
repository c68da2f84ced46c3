# MAINTAINER becomes a label, with a warning
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
MAINTAINER Jane Doe <jane@example.com>
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
