# Load the Celery app with Django so `shared_task` and `transaction.on_commit` queueing use it.
from pharmacy_site.celery import app as celery_app

__all__ = ("celery_app",)
