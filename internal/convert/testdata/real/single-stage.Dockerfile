# A single-stage build: the image kept the toolchain and the source.
FROM golang:1.26
WORKDIR /app
COPY . .
RUN go build -o /app/hello .
EXPOSE 8080
CMD ["/app/hello"]
