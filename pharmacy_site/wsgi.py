import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pharmacy_site.settings")
application = get_wsgi_application()

# Only a server loads this module (gunicorn, runserver), never manage.py's other commands:
# the knowledge index is built here, before the first request, not during it.
from screening.selectors.knowledge import warm_knowledge_index  # noqa: E402

warm_knowledge_index()
