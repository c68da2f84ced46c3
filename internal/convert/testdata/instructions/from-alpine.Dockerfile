# FROM another image stays that image, with a note
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM alpine:3.20
COPY --from=build /out/app /usr/bin/app
ENTRYPOINT ["/usr/bin/app"]
