"""The perturbation suite: transcripts re-framed as real reports are, for evaluation only.

Every framing and edit below was written for this module; none is taken from the export, and
none is ever used in training (`train` fits on the export's rows only and reads this module only
to measure). Each perturbed transcript keeps its video's content (the text after the framing)
and its label; what changes is how the report is framed:

- `claim framing` / `opinion framing`: the framing is replaced by one of twelve paraphrased
  source attributions (claims) or twelve paraphrased beliefs (opinions);
- `hedge`: a hedge is put in front ("honestly i'm not sure but ...");
- `question`: the transcript becomes a question ("did you know ...?");
- `typo`: two letters of the first word of four or more letters are swapped;
- `casing`: upper case, or title case;
- `extra words`: a few words before the framing ("ok so", "hey everyone,").
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ml.features import LABEL_COL, TEXT_COL

CLAIM_FRAMINGS = (
    "my cousin told me that",
    "a neighbour mentioned that",
    "according to a podcast i follow,",
    "there was an article saying that",
    "my teacher explained in class that",
    "i saw a post claiming that",
    "a documentary said that",
    "my uncle heard on the radio that",
    "a coworker forwarded me a link saying",
    "the newsletter i get reported that",
    "some website stated that",
    "reportedly, researchers found that",
)
OPINION_FRAMINGS = (
    "i reckon that",
    "personally i suspect that",
    "in my humble opinion,",
    "my gut says that",
    "i'd guess that",
    "i have a hunch that",
    "it seems to me that",
    "i would argue that",
    "we suspect that",
    "i've always felt that",
    "my sister is certain that",
    "deep down i'm sure that",
)
HEDGES = ("honestly i'm not sure but", "i might be wrong but", "not 100% certain,", "kind of")
QUESTIONS = ("did you know", "is it true,", "wait,")
PREFIXES = ("ok so", "hey everyone,", "quick one:", "lol", "story time:")
KINDS = ("claim framing", "opinion framing", "hedge", "question", "typo", "casing", "extra words")
# The framing ends at the first "that" among the first words; the rest is the content.
FRAMING = re.compile(r"^\s*((?:\S+\s+){0,10}?)that\s+(.*)$", re.DOTALL)


def content(text: str) -> str | None:
    """The transcript without its framing, or None when no framing is found."""
    match = FRAMING.match(text)
    return match.group(2) if match else None


def swap_letters(text: str) -> str:
    """Swap the 2nd and 3rd letters of the first word of at least four letters."""
    words = text.split(" ")
    for position, word in enumerate(words):
        if len(word) >= 4 and word.isalpha() and word[1] != word[2]:
            words[position] = word[0] + word[2] + word[1] + word[3:]
            return " ".join(words)
    return text


def perturb(frame: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Every kind of perturbation of every labeled row of `frame`, with a `perturbation` column.

    Rows keep all their columns but the transcript (and `transcription_length`, recomputed);
    a framing rewrite applies to the rows of its class whose framing is found.
    """
    rng = np.random.default_rng(seed)
    texts = frame[TEXT_COL].fillna("").astype(str)
    labels = frame[LABEL_COL].to_numpy(dtype=bool)
    parts = []
    contents = texts.map(content)
    for kind in KINDS:
        choose = rng.integers(0, 1_000, size=len(frame))
        if kind in ("claim framing", "opinion framing"):
            framings = CLAIM_FRAMINGS if kind == "claim framing" else OPINION_FRAMINGS
            rows = contents.notna().to_numpy() & (labels == (kind == "claim framing"))
            new = [
                f"{framings[pick % len(framings)]} {body}"
                for pick, body in zip(choose[rows], contents[rows], strict=True)
            ]
        else:
            rows = np.ones(len(frame), dtype=bool)
            new = [_edit(kind, text, pick) for pick, text in zip(choose, texts, strict=True)]
        part = frame[rows].copy()
        part[TEXT_COL] = new
        if "transcription_length" in part:
            part["transcription_length"] = [len(text) for text in new]
        part["perturbation"] = kind
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _edit(kind: str, text: str, pick: int) -> str:
    """One edit of a transcript that keeps its framing."""
    if kind == "hedge":
        return f"{HEDGES[pick % len(HEDGES)]} {text}"
    if kind == "question":
        return f"{QUESTIONS[pick % len(QUESTIONS)]} {text}?"
    if kind == "typo":
        return swap_letters(text)
    if kind == "casing":
        return text.upper() if pick % 2 else text.title()
    return f"{PREFIXES[pick % len(PREFIXES)]} {text}"
