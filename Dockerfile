# syntax=docker/dockerfile:1
# Build: docker build -t petition-site .
# Run:   docker run -e SECRET_KEY=... -e DATABASE_URL=postgres://... -e ALLOWED_HOSTS=... -p 8000:8000 petition-site

# The CAPTCHA widget's files, from the npm package pinned in assets/ (README: The CAPTCHA);
# the same steps as `make widget`.
FROM node:22-slim AS widget
WORKDIR /app/assets
COPY assets/package.json assets/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund && npm run --silent build

FROM python:3.13-slim AS build
ENV UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=widget /app/var/altcha var/altcha
# Compile translations and collect static files at build time, with throwaway settings.
RUN DEBUG=true .venv/bin/python manage.py compilemessages --ignore=.venv \
    && DEBUG=true .venv/bin/python manage.py collectstatic --no-input -v0

FROM python:3.13-slim
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
RUN useradd --system --uid 10001 --home-dir /app petition
WORKDIR /app
COPY --from=build --chown=petition:petition /app /app
USER petition
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
ENTRYPOINT ["/app/bin/docker-entrypoint.sh"]
CMD ["web"]
