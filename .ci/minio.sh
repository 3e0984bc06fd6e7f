#!/usr/bin/env bash
# Installs (once, cached) and starts/stops a real MinIO server on 127.0.0.1
# for the sinks/objectstore tests.
#
#   source .ci/minio.sh start   # installs if needed, starts, exports:
#                               #   CALLVEIL_MINIO_ENDPOINT (host:port, plain http)
#                               #   CALLVEIL_MINIO_ACCESS_KEY, CALLVEIL_MINIO_SECRET_KEY
#   .ci/minio.sh stop           # stops the server started by "start"
#   .ci/minio.sh install        # only installs
#
# The binary is built with `go install github.com/minio/minio@latest` into
# $CALLVEIL_CI_CACHE/bin (default ~/.cache/callveil-ci/bin); the first build
# takes a few minutes. An already installed minio (that directory, $PATH or
# $(go env GOPATH)/bin) is used as is.
#
# Safe to source: it defines functions and runs one of them; it does not
# change the caller's shell options.

_minio_cache="${CALLVEIL_CI_CACHE:-$HOME/.cache/callveil-ci}"
_minio_run="${_minio_cache}/minio-run"

_minio_bin() {
	local c
	for c in "${_minio_cache}/bin/minio" "$(command -v minio 2>/dev/null)" "$(go env GOPATH 2>/dev/null)/bin/minio"; do
		if [ -n "$c" ] && [ -x "$c" ]; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

_minio_install() {
	if _minio_bin >/dev/null; then
		return 0
	fi
	echo "minio.sh: building minio into ${_minio_cache}/bin (takes a few minutes the first time)" >&2
	mkdir -p "${_minio_cache}/bin" || return 1
	(cd / && GOBIN="${_minio_cache}/bin" GOFLAGS= go install github.com/minio/minio@latest) >&2 || return 1
}

_minio_start() {
	_minio_install || { echo "minio.sh: install failed" >&2; return 1; }
	local bin port data i
	bin="$(_minio_bin)"
	mkdir -p "${_minio_run}" || return 1
	if [ -f "${_minio_run}/pid" ] && kill -0 "$(cat "${_minio_run}/pid")" 2>/dev/null; then
		_minio_stop
	fi
	# A free loopback port, chosen by the kernel.
	port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')" || return 1
	data="$(mktemp -d "${TMPDIR:-/tmp}/callveil-minio-XXXXXX")" || return 1
	export CALLVEIL_MINIO_ACCESS_KEY="callveil-ci"
	export CALLVEIL_MINIO_SECRET_KEY="callveil-ci-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
	MINIO_ROOT_USER="$CALLVEIL_MINIO_ACCESS_KEY" MINIO_ROOT_PASSWORD="$CALLVEIL_MINIO_SECRET_KEY" \
		MINIO_BROWSER=off MINIO_UPDATE=off \
		nohup "$bin" server --quiet --address "127.0.0.1:${port}" "$data" >"${_minio_run}/log" 2>&1 &
	echo $! >"${_minio_run}/pid"
	echo "$data" >"${_minio_run}/data"
	for i in $(seq 1 100); do
		if curl -fsS "http://127.0.0.1:${port}/minio/health/live" >/dev/null 2>&1; then
			export CALLVEIL_MINIO_ENDPOINT="127.0.0.1:${port}"
			echo "minio.sh: MinIO on ${CALLVEIL_MINIO_ENDPOINT} (pid $(cat "${_minio_run}/pid"))" >&2
			return 0
		fi
		if ! kill -0 "$(cat "${_minio_run}/pid")" 2>/dev/null; then
			break
		fi
		sleep 0.2
	done
	echo "minio.sh: MinIO did not come up; log:" >&2
	tail -20 "${_minio_run}/log" >&2
	_minio_stop
	return 1
}

_minio_stop() {
	if [ -f "${_minio_run}/pid" ]; then
		local pid
		pid="$(cat "${_minio_run}/pid")"
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
		rm -f "${_minio_run}/pid"
	fi
	if [ -f "${_minio_run}/data" ]; then
		rm -rf "$(cat "${_minio_run}/data")"
		rm -f "${_minio_run}/data"
	fi
	unset CALLVEIL_MINIO_ENDPOINT
}

case "${1:-start}" in
start) _minio_start ;;
stop) _minio_stop ;;
install) _minio_install ;;
*) echo "usage: minio.sh start|stop|install" >&2; false ;;
esac
