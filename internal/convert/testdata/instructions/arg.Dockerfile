# ARG: a build argument becomes {{.Env.NAME}} with its default
FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM scratch
ARG RELEASE
ARG CHANNEL=stable
ENV RELEASE=$RELEASE CHANNEL=${CHANNEL}
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
