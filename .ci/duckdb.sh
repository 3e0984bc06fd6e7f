#!/usr/bin/env bash
# Installs DuckDB's Node.js client (@duckdb/node-api; its native binding is
# a platform package on the npm registry, so nothing is downloaded from
# elsewhere) into a cache directory outside the repository, for the test
# in sinks/objectstore that reads the written Parquet with an independent
# reader.
#
#   source .ci/duckdb.sh   # installs if needed, exports CALLVEIL_DUCKDB_NODE_PATH
#
# CALLVEIL_CI_CACHE picks the cache root (default ~/.cache/callveil-ci).
# Safe to source: it does not change the caller's shell options.

_duckdb_version="1.5.6-r.1"
_duckdb_dir="${CALLVEIL_CI_CACHE:-$HOME/.cache/callveil-ci}/duckdb-node-${_duckdb_version}"

_duckdb_install() {
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		echo "duckdb.sh: node/npm not found; the DuckDB reader test will skip" >&2
		return 0
	fi
	if [ ! -d "${_duckdb_dir}/node_modules/@duckdb/node-api" ]; then
		mkdir -p "${_duckdb_dir}" || return 1
		# --prefix keeps everything in the cache; nothing lands in the repo.
		npm install --silent --no-audit --no-fund --prefix "${_duckdb_dir}" \
			"@duckdb/node-api@${_duckdb_version}" >&2 || { echo "duckdb.sh: npm install failed" >&2; return 1; }
	fi
	export CALLVEIL_DUCKDB_NODE_PATH="${_duckdb_dir}/node_modules"
	echo "duckdb.sh: CALLVEIL_DUCKDB_NODE_PATH=${CALLVEIL_DUCKDB_NODE_PATH}" >&2
}

_duckdb_install
