"""A project's annotations and conflict decisions, put in the report's terms (app/core/report)."""

from __future__ import annotations

from app.core.model import Comparison
from app.core.report import ReportDecision, ReportExtras, ReportNote, labels
from app.store.project import Project
from app.store.records import finding_key


def report_extras(project: Project, comparison: Comparison) -> ReportExtras:
    """Notes placed in the compared texts (matched by the text's sha256) and decisions."""
    compared_by_sha = {a.sha256: a.id for a in comparison.articles}
    project_sha = {a.id: a.sha256 for a in project.articles(include_hidden=True)}
    notes: list[ReportNote] = []
    for x in project.anchored():
        ann = x.annotation
        if ann.conflict_of:
            continue  # the losing side of a merge the user has not settled: not a note yet
        sha = project_sha.get(x.article_id or "", ann.article_sha256)
        target = compared_by_sha.get(sha)
        placed = target is not None and x.start is not None and x.end is not None
        notes.append(ReportNote(
            article_id=target,
            start=x.start if placed else None,
            end=x.end if placed else None,
            quote=ann.exact,
            note=ann.note,
            tags=ann.tags,
            author=ann.author,
        ))
    notes.sort(key=lambda n: (n.article_id is None, n.article_id or "", n.start or 0, n.quote))
    names = labels(comparison.articles)
    label_by_sha = {a.sha256: names[a.id] for a in comparison.articles}
    statuses = project.conflict_statuses()
    decisions: dict[str, ReportDecision] = {}
    for f in comparison.findings:
        if not f.is_conflict:
            continue
        st = statuses.get(finding_key(f, comparison.articles))
        if st is None:
            continue
        decisions[f.id] = ReportDecision(
            status=st.status,
            right=label_by_sha.get(st.right or "") if st.right else None,
            note=st.note,
            author=st.author,
            updated=st.updated,
        )
    return ReportExtras(notes=tuple(notes), decisions=decisions, project=project.path.name)


__all__ = ["report_extras"]
