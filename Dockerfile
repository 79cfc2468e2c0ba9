# classbot: runs the bot on the platform chosen by configuration (CLASSBOT_PLATFORM=discord|slack).
# Tokens come from the environment at run time: docker run -e CLASSBOT_PLATFORM=discord -e DISCORD_TOKEN=... classbot
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
ENV CLASSBOT_DATABASE=/home/classbot/data/classbot.db \
    CLASSBOT_PLATFORM=discord
VOLUME ["/home/classbot/data"]

# A course of your own: mount it and set CLASSBOT_KNOWLEDGE, e.g.
#   -v "$PWD/knowledge/my-course:/course:ro" -e CLASSBOT_KNOWLEDGE=/course
CMD ["classbot", "run"]
