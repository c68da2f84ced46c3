# USER: numeric kept; a name on scratch is a warning
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
USER 1000:1000
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
