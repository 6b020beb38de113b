# The column is the same JSON column; only the Python side (orjson) changed. State only, so
# SQLite does not rebuild the table of screenings for nothing.

import screening.models.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0007_idempotency_records"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="screening",
                    name=name,
                    field=screening.models.fields.DocumentJSONField(),
                )
                for name in ("request", "result")
            ]
        )
    ]
