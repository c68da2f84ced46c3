# EXPOSE: ports, protocols kept; ranges are a warning
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
ARG PORT=8080
EXPOSE $PORT 9090/tcp 53/udp
EXPOSE 7000-7002
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
