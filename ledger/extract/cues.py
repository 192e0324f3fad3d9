"""Cues: the words that make a sentence look like a forecast, or not.

Strong cues make a claim about the future on their own: future tense ("will",
"going to", "won't"), "eventually", a possibility modal ("could", "might",
"may"). Weak cues mark a claim about how things are heading without saying
so: a trend in the progressive ("labs are converging"), permanence or a limit
("fundamentally", "data-constrained", "persist"), a risk or worry, words like
"timeline", "trend" or "future". A weak cue alone gives a low-confidence
candidate.

Other cues lower the confidence or pass a sentence over: negation,
conditionals, questions, reported speech ("Jerry now believes"), the past
tense, indirect questions ("what problems ... will require"), intentions
("he wants to"). Each is one regular expression here; `Cues.of` applies them.
Hedge words and stated numbers are read in `probability`, horizons in
`horizons`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE


def _words(*words: str) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


FUTURE = re.compile(
    r"\b(?:will|won[’']?t|shall|gonna|(?:is|are|am|'s|’s|'re|’re)\s+(?:going|set|"
    r"about|poised|bound|expected|likely|unlikely)\s+to|eventually|someday|some day|"
    r"sooner or later|in the future|in future|down the road|ultimately|"
    r"in (?:the )?years to come)\b|\w[’']ll\b",
    _I,
)
MODAL = re.compile(r"\b(?:[Cc]ould|[Mm]ight|may)\b(?!\s+\d)")
TREND = re.compile(
    r"\b(?:is|are|'s|’s|'re|’re|keeps?|keep on|continues? to be|remains?)\s+"
    r"(?:\w+\s+and\s+|\w+ly\s+|still\s+)?(?:"
    + _words(
        "converging", "accelerating", "slowing", "growing", "shrinking", "declining",
        "rising", "falling", "increasing", "decreasing", "improving", "worsening",
        "compounding", "diverging", "plateauing", "stalling", "speeding up",
        "slowing down", "getting better", "getting worse", "getting cheaper",
        "getting faster", "picking up", "taking off", "catching up",
    )
    + r")\b|\b(?:predictably|continues? to|keeps? (?:getting|growing|improving)|"
    r"will continue)\b",
    _I,
)
LIMIT = re.compile(
    r"\b(?:fundamentally|inherently|bottleneck(?:s|ed)?|[\w]+-constrained|"
    r"constrained by|limited by|persist(?:s|ing)?|durable|permanent(?:ly)?|forever|"
    r"plateau(?:s|ed|ing)?|hits? a (?:wall|ceiling))\b",
    _I,
)
RISK = re.compile(
    r"\b(?:risks?|worr(?:y|ies|ied)|concern(?:s|ed)?|dangers?|dangerous|"
    r"threat(?:s|ens?)?|fears?|dystopi\w*|catastroph\w*|extinct\w*|doom)\b",
    _I,
)
FORECAST_WORDS = re.compile(
    r"\b(?:future|futures|timelines?|trends?|trajectory|outlook|forecasts?|"
    r"predict(?:s|ed|ion|ions)?|expect(?:s|ed|ation|ations)?|anticipate[sd]?|"
    r"bet(?:s|ting)?|on track|heading (?:for|toward|towards))\b",
    _I,
)
# "future" used only to describe a noun ("future hires"): no claim about it
ATTRIBUTIVE_FUTURE = re.compile(
    r"\bfuture\s+(?!is\b|will\b|where\b|of\b|in\b)[a-z]", _I
)

NEGATION = re.compile(
    r"\b(?:not|no|never|nobody|none|nothing|neither|nor|cannot|no one)\b|n[’']t\b",
    _I,
)
CONDITIONAL = re.compile(
    r"\b(?:if|unless|provided that|assuming|as long as|only when|in case)\b", _I
)
REPORTED = re.compile(
    r"\b(?:says|believes|thinks|argues|claims|predicts|expects|estimates|suggests|"
    r"warns|reckons|feels|frames|insists|maintains|according\s+to)\b|"
    r"\b(?:he|she|they|[A-Z][a-z]+)\s+(?:\w+\s+)?(?:said|believed|thought|argued|"
    r"claimed|predicted|expected|told|estimated|framed|suggested|warned|felt)\b|"
    r"\bin [A-Z][\w]*[’']s (?:view|opinion|words|estimate)|"
    r"\b[A-Z][\w]*[’']s (?:hypothesis|view|prediction|forecast|estimate|guess|bet)\b",
)
PAST = re.compile(
    r"\b(?:was|were|did|didn[’']t|had|hadn[’']t|wasn[’']t|weren[’']t|ago|"
    r"last (?:year|month|week|decade|time)|used to)\b",
    _I,
)
# past-tense verbs, looked up among a text's words (one regex of them all is slow)
PAST_VERBS = frozenset((
    "went", "took", "made", "said", "became", "began", "came", "felt", "found",
    "gave", "got", "grew", "held", "kept", "knew", "left", "lost", "meant", "met",
    "paid", "ran", "saw", "sent", "sold", "spent", "stood", "told", "thought",
    "understood", "won", "wrote", "brought", "built", "bought", "caught", "chose",
    "drove", "fell", "flew", "forgot", "hid", "led", "rose", "shook", "showed",
    "spoke", "struck", "taught", "threw", "tried", "proved", "created", "defined",
    "shifted", "involved", "released", "launched", "announced", "decided",
    "introduced", "started", "ended", "happened", "worked", "changed", "turned",
    "joined", "raised",
))
_WORD = re.compile(r"[a-z]+")
PRESENT = re.compile(
    r"\b(?:is|are|am|isn[’']t|aren[’']t|has|have|does|do|doesn[’']t|don[’']t|can|"
    r"must|should|needs|remains)\b|"
    r"\b(?:it|that|there|here|what|who|he|she|this|where|how|everything|nothing)[’']s\b|"
    r"\w[’']re\b",
    _I,
)
INDIRECT = re.compile(
    r"\b(?:what|how|whether|which|who|when|where|why)\b[^,;:.!?—]{0,80}?"
    r"\b(?:will|would|won[’']?t|could|might)\b",
    _I,
)
INTENTION = re.compile(
    r"\b(?:wants?|wanted|plans?|planned|intends?|intended|hopes?|hoped|tries|tried|"
    r"aims?|wishes)\s+(?:to|them|him|her|us)\b",
    _I,
)
QUESTION = re.compile(r"\?[”\"’')\]]*\s*$")
TIMELINE_LABEL = re.compile(r"\b(?:timelines?|horizon|eta)\b", _I)


@dataclass(frozen=True, slots=True)
class Cues:
    """Which cues a piece of text holds."""

    future: bool
    modal: bool
    weak: tuple[str, ...]  # names of the weak cues found
    negation: bool
    conditional: bool
    reported: bool
    past: bool
    present: bool
    indirect: bool
    intention: bool
    question: bool
    attributive_future: bool

    @staticmethod
    def of(text: str) -> Cues:
        """The cues of `text`."""
        weak = tuple(
            name for name, pattern in (
                ("trend", TREND), ("limit", LIMIT), ("risk", RISK),
                ("forecast words", FORECAST_WORDS),
            )
            if pattern.search(text)
        )
        return Cues(
            future=FUTURE.search(text) is not None,
            modal=MODAL.search(text) is not None,
            weak=weak,
            negation=NEGATION.search(text) is not None,
            conditional=CONDITIONAL.search(text) is not None,
            reported=REPORTED.search(text) is not None,
            past=PAST.search(text) is not None
            or not PAST_VERBS.isdisjoint(_WORD.findall(text.lower())),
            present=PRESENT.search(text) is not None,
            indirect=INDIRECT.search(text) is not None,
            intention=INTENTION.search(text) is not None,
            question=QUESTION.search(text) is not None,
            attributive_future=ATTRIBUTIVE_FUTURE.search(text) is not None,
        )
