"""Classification as the shells ask for it: after a pull or an import (only what changed),
again on demand, or by hand (`syncd tag`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from syncd.errors import UsageError

if TYPE_CHECKING:
    from syncd.app.context import App
    from syncd.jobs.classify import ClassifyReport
    from syncd.store.tables import Athlete


def classify(app: App, who: Athlete, ids: Iterable[int]) -> ClassifyReport:
    """Classify these activities (and the runs whose history they change) with the configured
    athlete profile and thresholds."""
    from syncd.jobs.classify import classify_activities

    return classify_activities(app.store, who, ids, profile=app.config.profile(),
                               thresholds=app.config.thresholds())


def classify_changed(app: App, who: Athlete, ids: list[int]) -> ClassifyReport | None:
    """New and changed activities are classified as part of a pull, an import or a rederive;
    None when nothing changed."""
    if not ids:
        return None
    return classify(app, who, ids)


def reclassify(app: App, who: Athlete, *, since: date | None = None,
               everything: bool = False) -> ClassifyReport:
    """Classify again: from a local date, everything, or (neither) only the activities this
    classifier version has not classified yet. User labels are kept."""
    from syncd.classify import CLASSIFIER_VERSION

    ids = app.store.activity_ids_to_classify(
        who.id, since=datetime.combine(since, datetime.min.time()) if since else None,
        only_missing=not (everything or since), version=CLASSIFIER_VERSION,
    )
    return classify(app, who, ids)


def tag(app: App, ident: str, label: str, athlete: str | None) -> None:
    """Set an activity's label by hand; re-classification never overwrites it."""
    from syncd.app.views import find_activity
    from syncd.classify import LABELS

    if label not in LABELS:
        raise UsageError(f"LABEL must be one of {', '.join(LABELS)}, not {label!r}.")
    activity = find_activity(app, ident, athlete)
    app.store.set_user_label(activity.id, label)
