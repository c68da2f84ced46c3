# Modelled on projects that run from distroless with CMD only (no ENTRYPOINT).
FROM golang:1.26 AS build
WORKDIR /go/src/app
COPY . .
RUN go mod download && go vet ./...
RUN CGO_ENABLED=0 go build -o /go/bin/app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /go/bin/app /
CMD ["/app"]
