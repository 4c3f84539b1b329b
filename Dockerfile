FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir bot core && touch bot/__init__.py core/__init__.py && pip install . && rm -rf bot core build

COPY bot ./bot
COPY core ./core
COPY locales ./locales

RUN useradd --create-home --uid 10001 dmsbot && mkdir -p /app/data && chown dmsbot /app/data
USER dmsbot
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
