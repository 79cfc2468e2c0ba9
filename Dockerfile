# classbot: runs the bot on the platform chosen by configuration (CLASSBOT_PLATFORM=discord|slack).
# Tokens come from the environment at run time: docker run -e CLASSBOT_PLATFORM=discord -e DISCORD_TOKEN=... classbot
# Several processes on PostgreSQL (sharded Discord): see compose.yaml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 classbot

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN pip install . && rm -rf /src

USER classbot
WORKDIR /home/classbot
RUN mkdir -p /home/classbot/data
# The image turns the operations endpoint on (the bot's own default is off) so that the
# HEALTHCHECK below has a /healthz to ask: port 9108 serves /healthz and /metrics. Set
# CLASSBOT_METRICS_PORT= (empty) to turn it off; the health check then only confirms the
# process runs (Docker restarts a process that exits).
ENV CLASSBOT_DATABASE=/home/classbot/data/classbot.db \
    CLASSBOT_CACHE_DIR=/home/classbot/data/cache \
    CLASSBOT_PLATFORM=discord \
    CLASSBOT_METRICS_PORT=9108
VOLUME ["/home/classbot/data"]

# 3000: Slack HTTP mode (SLACK_MODE=http, SLACK_PORT); 9108: /healthz and /metrics (CLASSBOT_METRICS_PORT).
# Discord and Slack Socket Mode only connect out and need no published port.
EXPOSE 3000 9108

# 200 from /healthz: process up, platform connected, database reachable. The start period covers
# loading the course and connecting to the platform.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot.ops.healthcheck"]

# A course of your own: mount it and set CLASSBOT_KNOWLEDGE, e.g.
#   -v "$PWD/knowledge/my-course:/course:ro" -e CLASSBOT_KNOWLEDGE=/course
CMD ["classbot", "run"]
