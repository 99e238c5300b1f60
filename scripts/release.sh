#!/usr/bin/env bash
# scripts/release.sh [OUT]: every release artifact from one build, into OUT (default target/release):
#   tidemark-cli-<version>.tar.gz               the CLI and control API: bin/tidemark needs only a JRE 17+
#   tidemark-connector-source-<version>.zip     the plugin archives (Confluent Hub layout)
#   tidemark-connector-sink-<version>.zip
#   tidemark-apicurio-converter-<version>.zip
#   <each of the above>.sha512                  its SHA-512, as sha512sum -c reads it
#   strimzi/kafka-connect.yaml                  config/strimzi/kafka-connect.yaml with this release's
#                                               archive URLs and checksums in its build section
# The version is the Maven project's (pom.xml), the one place it is set; the build writes it into the
# archives' names, their manifests and version.properties, and this script reads it from there.
# RELEASE_URL (default https://github.com/tidemark/tidemark/releases/download/v<version>) is where the
# archives will be published. Oracle's JDBC driver is in none of them (docs/oracle.md).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/release}

mvn -B -q clean package -DskipTests

version=$(sed -n 's/^version=//p' connector-source/target/classes/io/tidemark/source/version.properties)
[ -n "$version" ] || { echo "release.sh: no version in connector-source's version.properties" >&2; exit 1; }
url=${RELEASE_URL:-https://github.com/tidemark/tidemark/releases/download/v$version}
rm -rf "$out"
mkdir -p "$out/strimzi"

# The CLI: the control API's jar and its libraries, a launcher that needs only java on the PATH (or
# JAVA_HOME), and oracle-jdbc/ for the ojdbc11 jar a user adds for an Oracle source's request table.
cli="tidemark-cli-$version"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$cli/bin" "$stage/$cli/lib" "$stage/$cli/oracle-jdbc"
cp "control-api/target/control-api-$version.jar" control-api/target/lib/*.jar "$stage/$cli/lib/"
if ls "$stage/$cli/lib" | grep -q '^ojdbc'; then
  echo "release.sh: Oracle's JDBC driver must not be shipped (docs/oracle.md)" >&2
  exit 1
fi
cp LICENSE NOTICE "$stage/$cli/"
cat >"$stage/$cli/bin/tidemark" <<'LAUNCHER'
#!/bin/sh
# The Tidemark CLI and control API (tidemark --help). Needs a Java 17+ runtime: JAVA_HOME or java on the PATH.
home=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$java" ${TIDEMARK_JAVA_OPTS:-} -cp "$home/lib/*:$home/oracle-jdbc/*" io.tidemark.control.cli.TidemarkCli "$@"
LAUNCHER
chmod 755 "$stage/$cli/bin/tidemark"
tar -C "$stage" -czf "$out/$cli.tar.gz" "$cli"

for zip in connector-source/target/tidemark-connector-source-"$version".zip \
           connector-sink/target/tidemark-connector-sink-"$version".zip \
           apicurio-converter/target/tidemark-apicurio-converter-"$version".zip; do
  cp "$zip" "$out/"
done

(cd "$out" && for f in *.tar.gz *.zip; do sha512sum "$f" >"$f.sha512"; done)

# The Strimzi build section: each archive's URL at this release, the sha512sum line after it filled in.
awk -v url="$url" -v version="$version" -v out="$out" '
  /url: .*\/tidemark-[a-z-]+-[^\/]*\.zip$/ {
    match($0, /tidemark-[a-z-]+-/); name = substr($0, RSTART, RLENGTH - 1)
    file = name "-" version ".zip"
    sub(/url: .*/, "url: " url "/" file)
    cmd = "cut -d\" \" -f1 \"" out "/" file ".sha512\""; cmd | getline sum; close(cmd)
    print; pending = sum; next
  }
  pending != "" && /sha512sum:/ { sub(/sha512sum: .*/, "sha512sum: \"" pending "\""); pending = "" }
  { print }
' config/strimzi/kafka-connect.yaml >"$out/strimzi/kafka-connect.yaml"
if grep -q 'sha512sum: "0\{128\}"' "$out/strimzi/kafka-connect.yaml"; then
  echo "release.sh: a checksum in $out/strimzi/kafka-connect.yaml was not filled in" >&2
  exit 1
fi

echo "release $version in $out:"
(cd "$out" && ls -1 && sha512sum -c --quiet ./*.sha512 && echo "checksums verified")
