# Production image: the same commands as the Makefile's serve/worker/beat targets.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=pianizona.settings.production \
    MEDIA_ROOT=/data/media \
    STATIC_ROOT=/app/staticfiles

# Pango and fonts for WeasyPrint (plan PDFs); pg_dump/pg_restore (15, as the server) for backups.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY pianizona/ pianizona/
COPY risorse/ risorse/
COPY programmazione/ programmazione/
COPY monitoraggio/ monitoraggio/
COPY archivio/ archivio/
RUN pip install --no-cache-dir -c requirements.lock .
COPY manage.py ./
COPY templates/ templates/
COPY static/ static/
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 --home /app pianizona && mkdir -p /data/media && chown -R pianizona /data
USER pianizona
EXPOSE 8000
CMD ["gunicorn", "pianizona.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
