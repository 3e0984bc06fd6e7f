# Multi-stage build: a static callveil binary on a distroless base, run as a
# non-root user. Untested against a real Docker engine in CI (none there);
# cmd/callveil/compose_test.go checks its shape.
FROM golang:1.26.8 AS build
# The release --version prints (empty: the build info's module version):
# docker build --build-arg VERSION=v1.2.3 .
ARG VERSION=
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO off: a static binary that needs no libc in the runtime image.
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags="-s -w -X main.version=${VERSION}" -o /dist/callveil ./cmd/callveil \
 && mkdir -p /dist/out

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /dist/callveil /callveil
# /out is where --out-dir writes in docker-compose.yml; a named volume
# mounted there takes this ownership, so the non-root user can write.
COPY --from=build --chown=65532:65532 /dist/out /out
USER 65532:65532
EXPOSE 9464
ENTRYPOINT ["/callveil"]
