#!/bin/sh
# The container's health check (deploy/Dockerfile). Healthy when the database passes
# `roastbot db check` and every HTTP endpoint the bot serves answers: Slack's /healthz in
# HTTP mode (SLACK_BOT_TOKEN set, SLACK_APP_TOKEN unset) and /metrics when
# ROASTBOT_METRICS_PORT is set. Both answer from the bot's event loop, so a hung bot fails.
set -eu

probe() {
    python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$1"
}

if [ -n "${SLACK_BOT_TOKEN:-}" ] && [ -z "${SLACK_APP_TOKEN:-}" ]; then
    probe "http://127.0.0.1:${ROASTBOT_HTTP_PORT:-3000}/healthz"
fi
if [ -n "${ROASTBOT_METRICS_PORT:-}" ]; then
    probe "http://127.0.0.1:${ROASTBOT_METRICS_PORT}/metrics"
fi
exec roastbot db check --quick
