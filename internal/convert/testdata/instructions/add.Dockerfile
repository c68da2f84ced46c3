# ADD: a local file is files:, a URL and an archive are warnings
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
ADD config.json /etc/app/config.json
ADD https://example.com/data.csv /data/
ADD assets.tar.gz /srv/
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
