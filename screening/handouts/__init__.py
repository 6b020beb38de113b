"""Printable counselling handouts: one content builder, two renderers (HTML and PDF).

``content.build_handout_content`` turns a stored screening result into translated plain
text; ``html_rendering`` and ``pdf_rendering`` lay that same content out. The Celery job
that runs them lives in ``screening.tasks`` and ``screening.services.handouts``.
"""
