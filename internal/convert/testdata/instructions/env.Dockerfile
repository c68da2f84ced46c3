# ENV: container environment
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
ENV APP_ENV=production LOG_LEVEL=info
ENV GREETING="hello world"
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
