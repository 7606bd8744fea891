#!/usr/bin/env bash
# The documentation site: installs mdBook (the pinned version, with cargo, into a cache) when it
# is missing, builds docs/ into target/site, and checks its links (scripts/site-links.py): no
# dead internal link or anchor, every page reachable from the first, every page of docs/ listed
# in docs/SUMMARY.md. The reference pages it builds are generated and checked by tests/site.rs.
set -euo pipefail
cd "$(dirname "$0")/.."

MDBOOK_VERSION=0.5.4
say() { printf '[site-test] %s\n' "$*"; }

tools="${XDG_CACHE_HOME:-$HOME/.cache}/hcdb-lint/tools/mdbook-$MDBOOK_VERSION"
MDBOOK="$tools/bin/mdbook"
if [ "$("$MDBOOK" --version 2>/dev/null)" != "mdbook v$MDBOOK_VERSION" ]; then
  say "installing mdbook $MDBOOK_VERSION with cargo into $tools"
  # Without the `serve` and `watch` features: the build needs neither (and no tokio/axum).
  cargo install mdbook --locked --version "$MDBOOK_VERSION" --no-default-features \
    --features search --root "$tools" --quiet
fi
"$MDBOOK" --version

rm -rf target/site
say "mdbook build (docs/ -> target/site)"
"$MDBOOK" build
say "link check"
python3 scripts/site-links.py target/site docs
say "ok: $(find target/site -name '*.html' | wc -l) pages"
