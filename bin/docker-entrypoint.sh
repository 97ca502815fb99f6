#!/bin/sh
# The container's entry point: one image, three roles.
#   web      gunicorn with gunicorn.conf.py (the default)
#   worker   the background worker that sends emails
#   migrate  apply migrations, queue the daily anonymisation, load the campaign text if
#            the database has none
# Anything else runs as a command, e.g. `docker compose run web python manage.py createsuperuser`.
set -eu

case "${1:-web}" in
  web)
    shift || true
    exec gunicorn -c gunicorn.conf.py petition_site.wsgi "$@"
    ;;
  worker)
    shift
    exec python manage.py db_worker --queue-name "*" "$@"
    ;;
  migrate)
    python manage.py migrate --no-input
    python manage.py anonymise_signatures --schedule
    exec python manage.py load_petition --keep-existing
    ;;
  *)
    exec "$@"
    ;;
esac
