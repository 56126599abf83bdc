#!/bin/sh
# The container's health check (deploy/Dockerfile). Healthy when the database passes
# `roastbot db check` and every HTTP endpoint the bot serves answers: the HTTP site's
# /healthz when it runs (Slack in HTTP mode, Discord over HTTP, or the web pages) and
# /metrics when ROASTBOT_METRICS_PORT is set. Both answer from the bot's event loop, so a
# hung bot fails.
set -eu

probe() {
    python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$1"
}

# whether the shared HTTP site runs, by the rules of `roastbot run` (bot/cli/run.py)
serves_http() {
    slack=${SLACK_BOT_TOKEN:-}
    [ -n "${SLACK_CLIENT_ID:-}" ] && [ -n "${SLACK_CLIENT_SECRET:-}" ] && slack=installs
    [ -n "$slack" ] && [ -z "${SLACK_APP_TOKEN:-}" ] && return 0
    [ -n "${DISCORD_TOKEN:-}" ] && [ -n "${DISCORD_PUBLIC_KEY:-}" ] && return 0
    case $(printf '%s' "${ROASTBOT_WEB:-}" | tr -d ' ' | tr '[:upper:]' '[:lower:]') in
        on | yes | true | 1) return 0 ;;
    esac
    return 1
}

if serves_http; then
    probe "http://127.0.0.1:${ROASTBOT_HTTP_PORT:-3000}/healthz"
fi
if [ -n "${ROASTBOT_METRICS_PORT:-}" ]; then
    probe "http://127.0.0.1:${ROASTBOT_METRICS_PORT}/metrics"
fi
exec roastbot db check --quick
