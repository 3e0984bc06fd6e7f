# Multi-stage build: a static callveil binary on a distroless base, as a non-root user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/callveil ./cmd/callveil

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/callveil /callveil
USER nonroot:nonroot
ENTRYPOINT ["/callveil"]
