"""Reading a text: speakers and timestamps, Markdown, sentences and clauses, verbatim quotes."""

from __future__ import annotations

from ledger.core.dates import parse_when
from ledger.extract import Options, extract
from ledger.extract.sentences import clauses, sentences
from ledger.extract.turns import speaker_labels

TRANSCRIPT = """\
[00:00:05] Jacob Effron: Welcome back. When do you think robots will fold laundry?
[00:00:12] Jerry Torque: Honestly, I'd say in about five years.
There's maybe a 30% chance it happens by 2028.

00:01:40 Jacob Effron: And biology?
Jerry Torque [00:01:45]: That will take longer. I left OpenAI in January.
"""


def quotes(text: str, **options: object) -> list[tuple[int, str | None, str | None, str]]:
    found = extract(text, "t.txt", Options(**options))  # type: ignore[arg-type]
    for c in found.candidates:
        assert text[c.where.start:c.where.start + len(c.quote)] == c.quote  # verbatim
    return [(c.where.line, c.where.speaker, c.where.time, c.quote) for c in found.candidates]


def test_a_transcript_has_speakers_and_timestamps() -> None:
    assert speaker_labels(TRANSCRIPT) == {"Jacob Effron", "Jerry Torque"}
    assert quotes(TRANSCRIPT) == [
        (2, "Jerry Torque", "00:00:12", "Honestly, I'd say in about five years."),
        (3, "Jerry Torque", "00:00:12", "There's maybe a 30% chance it happens by 2028."),
        (6, "Jerry Torque", "00:01:45", "That will take longer."),
    ]


def test_speaker_reads_only_their_turns() -> None:
    found = extract(TRANSCRIPT, "t.txt", Options(speakers=frozenset({"jacob effron"})))
    assert found.candidates == ()
    assert [p.reason for p in found.passed] == ["a question, not a claim"]
    assert found.speakers == ("Jacob Effron", "Jerry Torque")


def test_labels_that_start_one_line_are_text_not_speakers() -> None:
    summary = "Robotics timeline: ~2–3 years for a moment.\nBiology timeline: Longer than robotics.\n"
    assert speaker_labels(summary) == set()
    assert [q[1] for q in quotes(summary)] == [None, None]
    once = "Ann: It will rain by 2030.\n"
    assert speaker_labels(once) == set()
    assert speaker_labels(once, known={"ann"}) == {"Ann"}


def test_subrip_cues_and_markdown() -> None:
    srt = "1\n00:00:01,000 --> 00:00:04,000\nRobots will fold laundry by 2030.\n\n2\n00:00:05,000 --> 00:00:07,000\nIt was a long day.\n"
    assert quotes(srt) == [(3, None, "00:00:01,000", "Robots will fold laundry by 2030.")]
    markdown = "---\ntitle: Will robots fold laundry by 2030?\n---\n# Robots will win by 2030\n\n```\ncode will run by 2030\n```\n- Prices will fall next year.\n> Rates will probably rise.\n"
    assert [q[3] for q in quotes(markdown)] == [
        "Robots will win by 2030", "Prices will fall next year.", "Rates will probably rise.",
    ]


def test_sentences_end_at_marks_and_short_lines_not_abbreviations() -> None:
    text = "Dr. Smith thinks it will work, e.g. by 2030. It took 2.5 years.\nA Heading\nThe U.S. will lead. o1 was good."
    found = [text[p.start:p.end] for p in sentences(text, 0, len(text))]
    assert found == ["Dr. Smith thinks it will work, e.g. by 2030.", "It took 2.5 years.",
                     "A Heading", "The U.S. will lead.", "o1 was good."]
    wrapped = "Robots will fold laundry in most homes, the researchers\nsaid, within ten years.\n"
    assert len(sentences(wrapped, 0, len(wrapped))) == 1


def test_two_claims_in_one_sentence_are_two_candidates() -> None:
    text = "The job market will look different, and the transition will likely be painful."
    (sentence,) = sentences(text, 0, len(text))
    assert [text[c.start:c.end] for c in clauses(text, sentence)] == [
        "The job market will look different", "the transition will likely be painful.",
    ]
    assert [q[3] for q in quotes(text)] == [
        "The job market will look different", "the transition will likely be painful.",
    ]
    one = "Not every country gets an industry, and the same will likely be true for AI."
    assert [q[3] for q in quotes(one)] == [one]


def test_confidence_is_low_for_each_reason_and_says_why() -> None:
    made = parse_when("2026-01-06..2026-04-30")
    cases = {
        "Robots will fold laundry by 2030.": ("high", ()),
        "Robots will not fold laundry by 2030.": ("low", ("negated: check which way the claim goes",)),
        "If rates stay high, prices will fall.": ("low", ("conditional: it holds only if something else does",)),
        "Isn't it likely that prices fall?": ("low", (
            "negated: check which way the claim goes", "a question",
            "a negated hedge: p is not inverted; read it")),
        "He says prices will fall.": ("low", ("reported speech: someone's belief or words, as told",)),
        "Work automation will be a reality within decades.": (
            "low", ("a vague horizon, read by convention: 'within decades'",)),
        "Labs are converging on one recipe.": (
            "low", ("no hedge, horizon or future tense: a claim about how things are or are heading",)),
        "Models could do this.": ("low", ("only a possibility ('could'), with no horizon",)),
        "It will happen within the next.": ("low", ("a time expression only half read: 'within the next'",)),
        "We plan to open an office by 2030.": ("low", ("an intention or plan: the speaker's own doing",)),
    }
    for text, expected in cases.items():
        (candidate,) = extract(text, "t", Options(made=made)).candidates
        assert (candidate.confidence, candidate.reasons) == expected, text


def test_sentences_passed_over_say_why() -> None:
    made = parse_when("2026-01-06..2026-04-30")
    cases = {
        "Releasing it was not expected to go viral.": "past tense: it tells what happened",
        "The peak is in 2019.": "the date it names is in the past",
        "Will robots fold laundry by 2030?": "a question, not a claim",
        "He wants to shape the future of AI.": "an intention or wish, not a forecast",
        "Teams are more attractive to future hires.": "no horizon, hedge or future tense: 'future' only describes a noun",
    }
    for text, reason in cases.items():
        found = extract(text, "t", Options(made=made))
        assert found.candidates == (), text
        assert [p.reason for p in found.passed] == [reason], text


def test_kinds_orders_and_numbers() -> None:
    made = parse_when("2026-01")
    found = extract(
        "Biology timeline: Longer than robotics. Robots will arrive in 2030. "
        "Unemployment will exceed 8% by 2027. Cars will never fly. Fusion will come after AGI.",
        "t", Options(made=made),
    ).candidates
    assert [(c.kind, c.order, c.values, c.unit) for c in found] == [
        ("binary", ("robotics", "Biology"), None, None),
        ("date", None, None, None),
        ("numeric", None, (8.0, None), "%"),
        ("binary", None, None, None),
        ("binary", ("AGI", "Fusion"), None, None),
    ]
    assert found[2].deadline == "2027" and found[3].horizon == "will never"
