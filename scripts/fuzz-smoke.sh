#!/usr/bin/env bash
# The short fuzz smoke run of scripts/test.sh: scripts/fuzz.sh without --long.
exec bash "$(dirname "$0")/fuzz.sh" "$@"
