# ONBUILD cannot be converted: a warning
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
ONBUILD COPY . /app
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
