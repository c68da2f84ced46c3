# RUN in the final stage cannot be converted: a warning
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM alpine:3.20
RUN apk add --no-cache curl
COPY --from=build /out/app /usr/bin/app
ENTRYPOINT ["/usr/bin/app"]
