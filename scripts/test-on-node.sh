#!/usr/bin/env bash
# Runs `npm ci` and `npm test` (or another command) on another Node.js version, in a copy of this
# checkout, so that its node_modules (better-sqlite3 is compiled for one Node ABI) and its build stay
# apart from this one's.
#
#   bash scripts/test-on-node.sh 24.22.3
#   bash scripts/test-on-node.sh 24.22.3 npm run bench -- --items 20000 --database /path/to/generated.db
#
# A benchmark or the drills write their section of BENCHMARKS.md or RELIABILITY.md in the copy; those
# files are brought back into this checkout when the command changed them.
# Node.js comes from the npm registry, not from nodejs.org: the package node-<os>-<arch>@VERSION holds
# the official binary (bin/node) and its C++ headers (include/node). It is unpacked once into
# ${XDG_CACHE_HOME:-~/.cache}/node-from-npm/VERSION and reused. better-sqlite3 has no prebuilt binary
# it can download here, so it is compiled by node-gyp against those headers (npm_config_nodedir);
# @node-rs/argon2 ships N-API builds in npm packages and needs nothing.
#
# The copy holds the tracked and untracked-but-not-ignored files (so uncommitted work is tested too)
# and lives in ${TMPDIR:-/tmp}; its node_modules is removed afterwards, and the rest of it only when
# the command succeeded (test-results/ stays for a look otherwise). The browser tests use E2E_PORT
# (default 4174, where the plain `npm test` uses 4173). Exits with the command's status; `npm test`'s
# last line is its own `N passed, N failed`.
set -euo pipefail

version="${1:?usage: scripts/test-on-node.sh NODE_VERSION [COMMAND...] (e.g. 24.22.3; the command is npm test by default)}"
shift
command=("$@")
[[ ${#command[@]} -gt 0 ]] || command=(npm test)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "test-on-node: '$version' is not an exact version like 24.22.3" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"

case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "test-on-node: no npm build of Node.js for $(uname -s)" >&2; exit 2 ;; esac
case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) echo "test-on-node: no npm build of Node.js for $(uname -m)" >&2; exit 2 ;; esac
package="node-$os-$arch@$version"

# --- Node.js itself, from the npm registry (npm pack checks the tarball against the registry's integrity).
node_home="${XDG_CACHE_HOME:-$HOME/.cache}/node-from-npm/$os-$arch-$version"
if [[ "$("$node_home/bin/node" --version 2>/dev/null || true)" != "v$version" || ! -f "$node_home/include/node/common.gypi" ]]; then
	echo "test-on-node: fetching $package from the npm registry"
	mkdir -p "$(dirname "$node_home")"
	unpack="$(mktemp -d "$node_home.partial.XXXXXX")"
	trap 'rm -rf "$unpack"' EXIT
	(cd "$unpack" && npm pack "$package" --silent >/dev/null)
	tarball=("$unpack"/node-"$os"-"$arch"-"$version".tgz)
	[[ -f "${tarball[0]}" ]] || { echo "test-on-node: npm pack $package left no tarball" >&2; exit 1; }
	mkdir "$unpack/dist"
	tar -xzf "${tarball[0]}" -C "$unpack/dist" --strip-components=1
	[[ "$("$unpack/dist/bin/node" --version)" == "v$version" ]] || { echo "test-on-node: $package does not run here" >&2; exit 1; }
	[[ -f "$unpack/dist/include/node/common.gypi" ]] || { echo "test-on-node: $package has no headers (include/node)" >&2; exit 1; }
	rm -rf "$node_home"
	mv "$unpack/dist" "$node_home"
	rm -rf "$unpack"
	trap - EXIT
fi

# --- A copy of the checkout, without node_modules, build output or test results.
copy="${TMPDIR:-/tmp}/$(basename "$root")-$(printf '%s' "$root" | cksum | cut -d' ' -f1)-node$version"
rm -rf "$copy"
mkdir -p "$copy"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [[ -e "$f" || -L "$f" ]] && printf '%s\0' "$f"; done |
	tar --null -T - -cf -) | tar -xf - -C "$copy"

export PATH="$node_home/bin:$PATH"
export npm_config_nodedir="$node_home" # node-gyp builds against these headers, not the machine's Node
export E2E_PORT="${E2E_PORT:-4174}"
[[ "$(node --version)" == "v$version" ]] || { echo "test-on-node: node on PATH is $(node --version), not v$version" >&2; exit 1; }

cd "$copy"
echo "test-on-node: Node.js $(node --version), npm $(npm --version), in $copy, browser tests on port $E2E_PORT"
npm ci --no-audit --no-fund
node -e "new (require('better-sqlite3'))(':memory:').close()" # fails here, not in every test, if the addon is wrong

status=0
"${command[@]}" || status=$?
for written in BENCHMARKS.md RELIABILITY.md; do
	if [[ -f "$written" ]] && ! cmp -s "$written" "$root/$written"; then
		cp "$written" "$root/$written"
		echo "test-on-node: $written brought back into $root"
	fi
done
rm -rf "$copy/node_modules"
if [[ $status -eq 0 ]]; then rm -rf "$copy"; else echo "test-on-node: the copy (with test-results/) is kept in $copy"; fi
exit $status
