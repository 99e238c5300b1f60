#!/usr/bin/env bash
# Lists, by name and reason, every test the last build skipped (@Disabled, or an assumption that
# did not hold), from the surefire and failsafe reports: a skipped test must be seen, not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
reports=$(find . -path '*/target/*-reports/TEST-*.xml' -not -path './.git/*' 2>/dev/null | sort)
[ -n "$reports" ] || exit 0
# shellcheck disable=SC2086
list=$(perl -0777 -ne '
  while (/<testcase\b([^>]*)>\s*<skipped(?:\s+message="([^"]*)")?/g) {
    my ($attrs, $why) = ($1, $2 // "no reason given");
    my ($name) = $attrs =~ /\bname="([^"]*)"/;
    my ($class) = $attrs =~ /\bclassname="([^"]*)"/;
    print "SKIPPED $class#$name: $why\n";
  }' $reports | sort -u)
[ -z "$list" ] || echo "$list"
echo "$(grep -c . <<<"$list" || true) test(s) skipped"
