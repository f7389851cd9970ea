# Peninsula Brief (briefbot). Build: docker build -t briefbot .
# Run:   docker run --env-file .env -p 8080:8080 briefbot          (long polling)
# Other commands: docker run --env-file .env briefbot db upgrade

# -- build: install the package and its dependencies into a virtual environment ----------
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/briefbot
ENV PATH=/opt/briefbot/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
RUN pip install .

# -- run: the environment alone, as an unprivileged user ------------------------------------
FROM python:3.11-slim
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/briefbot briefbot \
    && install -d -o briefbot -g briefbot /var/lib/briefbot/data
COPY --from=build /opt/briefbot /opt/briefbot
ENV PATH=/opt/briefbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HEALTH_PORT=8080
USER briefbot
# SQLite (the default without DATABASE_URL) lives in data/ here: mount a volume on it.
WORKDIR /var/lib/briefbot
EXPOSE 8080 8443
# /healthz answers while the bot's event loop turns; a stuck bot times out and is marked unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('HEALTH_PORT', '8080'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"]
ENTRYPOINT ["briefbot"]
CMD ["run"]
