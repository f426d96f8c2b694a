"""Deterministic synthetic stand-in for the TikTok reported-videos export.

The real export (19,382 rows) may not be redistributed, so the project's embedded seed
``seeds/tiktok_dataset.csv`` is produced by this module instead. Nothing here is copied from the
real rows: the constants below are *derived* statistics (class counts, status mixes, ranges of the
engagement ratios, the set of transcript openings and how often each occurs), and the transcript
bodies come from word lists written for this module.

What was derived from the real export and how it is reproduced:

* **Class and status.** The 18 joint (claim_status, verified_status, author_ban_status) counts,
  e.g. 9,608 claims of which 209 verified and 1,439 banned, 9,476 opinions (991 verified, 196
  banned) and 298 unlabeled rows (empty ``claim_status``, transcript and five counts). Each size
  gets them in the same proportions, cumulatively rounded: row ``i`` falls in the stratum of its
  rank under a keyed permutation of ``[0, rows)``, so strata are shuffled through the file yet
  counted exactly; the default 19,382 rows reproduce the real cross-tab cell for cell.
* **Duration.** Uniform integers 5..60 s for every class (the real quantiles are linear).
* **Views.** Uniform integers: claims in [1,000, 1,000,000), opinions in [20, 10,000). Medians
  come out near the real 501,555 and 4,953.
* **Engagement.** The real ratios are uniform and chained: likes = views x U(0, 2/3) for claims
  and U(0, 4/9) for opinions; shares = likes x U(0, 0.4); downloads = likes x U(0, 0.025);
  comments = downloads x U(0, 2/3) for claims and U(0, 0.4) for opinions, each rounded to the
  nearest integer (rounding, not flooring, reproduces the real share of zero downloads and
  comments). So likes <= views and shares, downloads <= likes and comments <= downloads.
* **Transcripts.** Lower-case; ``<opening> <fact>``. The 294 openings (196 only ever seen on
  claims, 98 only on opinions; kept verbatim, including the double spaces some carry) are drawn
  with their real per-class frequencies, so the opening alone tells the class, as in the export.
  The fact after it does not depend on the class. Facts come from templates over this module's
  own vocabulary (thousands of combinations); their weights mirror the export's ~8.5 % of texts
  with a comma, ~1.5 % with a double quote and ~8.5 % with a non-ASCII character.
* **Video ids.** ``1e9 + P(i)`` where ``P`` is a keyed permutation of ``[0, 9e9)``, so ids are
  10-digit, look random and are unique across the file for any size up to 9e9 rows.

Determinism: rows are made in chunks of ``CHUNK_ROWS``; chunk ``k`` draws from
``SeedSequence(seed, spawn_key=(0, k))`` and the two permutations are keyed from spawn keys
``(1,)`` and ``(2,)``, so one (rows, seed) pair always gives the same bytes, whatever else runs,
and memory stays bounded by one chunk. Ids spread over the whole 10-digit range, so a large file
shares some with the real export by chance; the committed seed is tested to share none.

The CSV is written as the export is: header row, minimal quoting, ``\\n`` line endings, integers
without decimals and missing values as empty cells. Parquet carries explicit types.

Usage::

    python -m ml.synthetic --rows 19382 --seed 42 --format csv --out seeds/tiktok_dataset.csv
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROWS = 19_382
DEFAULT_SEED = 42
CHUNK_ROWS = 1_000_000
CSV_SLICE_ROWS = 250_000
MAX_ROWS = 9_000_000_000  # one 10-digit video id per row

COUNT_COLUMNS = (
    "video_view_count",
    "video_like_count",
    "video_share_count",
    "video_download_count",
    "video_comment_count",
)
SCHEMA = pa.schema(
    [
        pa.field("#", pa.int64(), nullable=False),
        pa.field("claim_status", pa.string()),
        pa.field("video_id", pa.int64(), nullable=False),
        pa.field("video_duration_sec", pa.int64(), nullable=False),
        pa.field("video_transcription_text", pa.string()),
        pa.field("verified_status", pa.string(), nullable=False),
        pa.field("author_ban_status", pa.string(), nullable=False),
        *(pa.field(name, pa.int64()) for name in COUNT_COLUMNS),
    ]
)

# Class codes: 0 claim, 1 opinion, 2 unlabeled.
LABELS: tuple[str | None, ...] = ("claim", "opinion", None)

# Rows of the real export per (claim_status, verified_status, author_ban_status).
STRATA: tuple[tuple[str | None, str, str, int], ...] = (
    ("claim", "not verified", "active", 6_407),
    ("claim", "not verified", "banned", 1_417),
    ("claim", "not verified", "under review", 1_575),
    ("claim", "verified", "active", 159),
    ("claim", "verified", "banned", 22),
    ("claim", "verified", "under review", 28),
    ("opinion", "not verified", "active", 7_898),
    ("opinion", "not verified", "banned", 173),
    ("opinion", "not verified", "under review", 414),
    ("opinion", "verified", "active", 919),
    ("opinion", "verified", "banned", 23),
    ("opinion", "verified", "under review", 49),
    (None, "not verified", "active", 244),
    (None, "not verified", "banned", 3),
    (None, "not verified", "under review", 11),
    (None, "verified", "active", 36),
    (None, "verified", "banned", 1),
    (None, "verified", "under review", 3),
)
_STRATUM_CODE = np.array([LABELS.index(stratum[0]) for stratum in STRATA])
_STRATUM_COLUMNS = [pa.array([stratum[i] for stratum in STRATA], pa.string()) for i in range(3)]

# SeedSequence spawn keys: (0, k) for chunk k, (1,) the video-id and (2,) the row-rank permutation.
_CHUNK_STREAM, _ID_STREAM, _RANK_STREAM = 0, 1, 2

DURATION_SEC = (5, 60)
# Per class code: views in [low, high), the top of the like/view and comment/download ratios
# (unlabeled rows get zeros, written as missing).
VIEW_LOW = np.array([1_000, 20, 0])
VIEW_HIGH = np.array([1_000_000, 10_000, 1])
LIKE_MAX = np.array([2 / 3, 4 / 9, 0.0])
COMMENT_MAX = np.array([2 / 3, 0.4, 0.0])
SHARE_MAX = 0.4  # of likes, both classes
DOWNLOAD_MAX = 0.025  # of likes, both classes

# Transcript openings with their row counts in the real export ("<count> <opening>" per line).
_CLAIM_OPENINGS = """\
99 i learned  from the media that
99 someone read  in the media that
97 a colleague read  in the media that
96 a friend read  in the media that
93 a colleague read  in the media a claim that
92 i learned  from the media a claim that
88 a friend read  in the media a claim that
87 a colleague learned  from the media a claim that
87 i read  in the media that
86 someone read  in the media a claim that
81 someone learned  from the media a claim that
75 a colleague learned  from the media that
74 i read  in the media a claim that
74 someone learned  from the media that
63 a colleague read  on a website a claim that
63 someone read a report claiming that
60 a colleague discovered on the news a claim that
60 a colleague learned  from the news that
60 a friend learned  in the media that
60 i read a story claiming that
59 a colleague read an article claiming that
58 a colleague learned  on a website that
58 a friend learned  on an internet forum a claim that
58 the news told me someone discovered that
57 a friend learned  on social media a claim that
57 i read  in the news a claim that
56 a colleague claimed the media revealed
56 a colleague discovered on tv a claim that
56 a friend discovered on the news a claim that
56 a friend learned  in the media a claim that
56 a friend read  online a claim that
56 someone located a report claiming that
56 the news reported someone revealed that
55 a colleague located an article claiming that
55 someone learned  on a website that
55 someone read  in the news that
54 a friend read  on an internet forum a claim that
54 a friend read  on social media that
54 i learned  online that
54 i read  on social media that
54 someone discovered on the news that
54 someone located a report mentioning that
53 a friend read  in a discussion board that
53 a friend reported someone discovered that
53 i learned  on a website that
52 a colleague read  online that
52 a friend discovered on tv a claim that
52 a friend read  on an internet forum that
52 i read  in a discussion board that
52 someone read  in the news a claim that
52 someone shared with me that
52 the news claimed someone revealed that
51 a colleague learned  on an internet forum that
51 a colleague located an article mentioning that
51 a friend learned  from the media a claim that
51 a friend learned  online that
51 someone learned  from the news that
51 someone read a report mentioning that
50 a colleague discovered on the radio that
50 a colleague learned  on social media that
50 a colleague read  on social media that
50 a colleague read  online a claim that
50 i learned  from the news a claim that
50 i learned  on a website a claim that
50 i learned  on an internet forum a claim that
50 i read  in the news that
50 someone discovered a report mentioning that
50 someone learned  on social media that
50 the news told me someone revealed that
49 a colleague discovered an article claiming that
49 a colleague learned  on an internet forum a claim that
49 a colleague learned  online that
49 a friend learned  in a discussion board a claim that
49 a friend read  online that
49 i discovered on the radio a claim that
49 i learned  in a discussion board a claim that
49 i learned  in a discussion board that
49 i learned  online a claim that
49 i read  on an internet forum that
49 i read  online a claim that
49 someone read  on social media a claim that
48 a colleague mentioned the media revealed
48 a friend discovered a study claiming that
48 a friend encountered a study mentioning that
48 a friend learned  from the news a claim that
48 a friend learned  on a website a claim that
48 a friend reported someone revealed that
48 i discovered a story mentioning that
48 i discovered on tv that
48 i mentioned an expert discovered that
48 the news reported someone discovered that
47 a colleague read  in a discussion board a claim that
47 a friend read a study mentioning that
47 a friend told me someone revealed that
47 i learned  from the news that
47 i read  on an internet forum a claim that
47 i told them an expert revealed that
47 someone learned  from the news a claim that
47 someone learned  online a claim that
47 the news mentioned someone discovered that
46 a colleague discovered on tv that
46 a colleague learned  online a claim that
46 a colleague read  in a discussion board that
46 a friend claimed someone revealed that
46 a friend discovered on the news that
46 a friend encountered a study claiming that
46 a friend read  in the news a claim that
46 a friend told me someone discovered that
46 i learned  on social media that
46 i read  on a website that
46 someone discovered on the news a claim that
46 someone discovered on tv a claim that
46 someone learned  in a discussion board a claim that
46 the news claimed someone discovered that
45 a colleague discovered on the news that
45 a colleague learned  from the news a claim that
45 a colleague learned  in a discussion board that
45 a colleague read an article mentioning that
45 a colleague told them the media discovered
45 a friend learned  online a claim that
45 a friend read  on a website that
45 someone learned  on social media a claim that
44 a colleague learned  in a discussion board a claim that
44 a friend claimed someone discovered that
44 a friend discovered a study mentioning that
44 i encountered a story mentioning that
44 i read  on a website a claim that
44 someone discovered a report claiming that
44 someone learned  on an internet forum that
44 someone read  on an internet forum a claim that
43 a colleague learned  on a website a claim that
43 a colleague read  in the news that
43 a colleague read  on a website that
43 a friend learned  from the news that
43 a friend mentioned someone revealed that
43 i discovered on the radio that
43 someone learned  on an internet forum a claim that
42 a colleague read  in the news a claim that
42 a colleague reported the media revealed
42 a friend discovered on the radio a claim that
42 a friend discovered on tv that
42 i discovered on tv a claim that
42 i read  in a discussion board a claim that
41 a colleague discovered an article mentioning that
41 a colleague mentioned the media discovered
41 a friend read  in a discussion board a claim that
41 i learned  on an internet forum that
41 i reported an expert discovered that
41 someone learned  on a website a claim that
41 the news mentioned someone revealed that
40 a colleague reported the media discovered
40 a friend learned  in a discussion board that
40 a friend read  in the news that
40 a friend read a study claim that
40 i discovered a story claiming that
40 i read  online that
40 i reported an expert revealed that
40 i told them an expert discovered that
40 someone read  on a website that
39 a colleague discovered on the radio a claim that
39 a colleague read  on an internet forum a claim that
39 a friend learned  on social media that
39 a friend read  on social media a claim that
39 a friend shared with a friend that
39 i read  on social media a claim that
39 someone discovered on the radio that
39 someone discovered on tv that
39 someone read  in a discussion board that
39 someone read  on a website a claim that
39 someone read  on an internet forum that
38 a colleague claimed the media discovered
38 a colleague read  on an internet forum that
38 a colleague told them the media revealed
38 a friend discovered on the radio that
38 a friend learned  on an internet forum that
38 i discovered on the news that
38 i mentioned an expert revealed that
38 someone read  in a discussion board a claim that
37 a friend learned  from the media that
37 a friend learned  on a website that
36 a colleague read  on social media a claim that
36 i claimed an expert discovered that
36 someone read  on social media that
36 someone read  online that
35 i encountered a story claiming that
35 i read a story mentioning that
35 someone discovered on the radio a claim that
35 someone learned  in a discussion board that
35 someone learned  online that
35 someone read  online a claim that
34 a colleague learned  on social media a claim that
34 i learned  on social media a claim that
33 a friend mentioned someone discovered that
33 a friend read  on a website a claim that
33 i claimed an expert revealed that
32 i discovered on the news a claim that
"""

_OPINION_OPENINGS = """\
116 my colleagues' understanding is that
114 my family is willing to wager that
113 my colleagues think that
113 my colleagues' opinion is that
110 my family's thinking is that
110 our hypothesis is that
109 my colleagues' view is that
109 my family's view is that
108 i am willing to wager that
108 my friends' view is that
107 my family's impression is that
106 my family's sentiment is that
106 my friends' understanding is that
106 my understanding is that
106 our position is that
105 i am willing to say that
105 my family understands that
105 my friends are convinced  that
105 my friends say that
105 my friends' position is that
104 my colleagues are willing to wager that
104 my colleagues' impression is that
104 my impression is that
103 my colleagues feel that
103 my colleagues' sentiment is that
102 my colleagues' point of view is that
102 my feeling is that
102 my friends feel that
102 my friends' impression is that
101 i feel that
101 my belief is that
101 my view is that
100 i understand that
100 my family feels that
100 my family thinks that
100 my family's belief is that
100 my friends understand that
100 my friends' opinion is that
99 my friends are willing to wager that
99 my position is that
98 i can say that
98 my colleagues' feeling is that
98 my colleagues' hypothesis is that
98 my family's opinion is that
98 my friends believe that
98 our feeling is that
98 our impression is that
98 our view is that
97 my friends' feeling is that
97 my friends' point of view is that
97 my friends' reasoning is that
96 in my opinion
96 in our opinion
96 my family's reasoning is that
96 our understanding is that
95 i am convinced  that
95 my colleagues are convinced  that
95 my colleagues' position is that
95 my friends think that
95 my friends' belief is that
95 my friends' sentiment is that
94 my opinion is that
93 my friends are willing to say that
93 my point of view is that
93 our thinking is that
92 my colleagues understand that
92 my colleagues' thinking is that
92 my family's position is that
92 my hypothesis is that
91 i say that
91 i think that
91 my family believes that
91 my friends tell me that
91 my friends' hypothesis is that
90 my family is willing to say that
90 my family's understanding is that
90 our sentiment is that
89 i believe that
89 my family is convinced  that
89 my thinking is that
88 my colleagues' belief is that
88 my colleagues' reasoning is that
88 my family's feeling is that
88 my friends' thinking is that
88 our point of view is that
87 my family is willing to bet that
87 my family's point of view is that
87 my reasoning is that
86 my colleagues are willing to bet that
86 my friends are willing to bet that
86 my sentiment is that
83 our reasoning is that
82 i am willing to bet that
82 my colleagues are willing to say that
82 our belief is that
79 our opinion is that
77 my colleagues believe that
77 my family's hypothesis is that
"""


def _parse_openings(table: str) -> dict[str, int]:
    """Read a ``"<count> <opening>"`` table, keeping the opening's inner spacing as it is."""
    counts = {}
    for line in table.splitlines():
        count, opening = line.split(" ", 1)
        counts[opening] = int(count)
    return counts


OPENING_COUNTS: dict[str, dict[str, int]] = {
    "claim": _parse_openings(_CLAIM_OPENINGS),
    "opinion": _parse_openings(_OPINION_OPENINGS),
}

# Fact vocabulary (written for this module, unrelated to the export's sentences).
_Part = str | range | tuple[str, ...]

_ANIMALS = (
    "sea otter", "garden snail", "barn owl", "arctic fox", "snow leopard", "river dolphin",
    "honey badger", "red squirrel", "emperor penguin", "box jellyfish", "desert tortoise",
    "mountain goat", "fruit bat", "blue crab", "grey seal", "tree frog", "house sparrow",
    "monarch butterfly", "wild boar", "bumblebee", "sloth", "flamingo", "porcupine", "salamander",
    "hermit crab", "lobster", "capybara", "meerkat", "pelican", "armadillo", "chameleon",
    "wolverine", "narwhal", "manatee", "platypus", "jackrabbit", "woodpecker", "albatross",
    "camel", "yak",
)  # fmt: skip
_ABILITIES = (
    "hold its breath", "go without water", "sleep standing up", "survive without food",
    "stay completely still", "swim without resting", "glide without flapping", "remember a face",
    "keep one eye open", "carry twice its weight", "hide underground", "walk backwards",
)  # fmt: skip
_DURATIONS = ("minutes", "hours", "days", "weeks", "months", "years")
_SUPERLATIVES = (
    "oldest", "longest", "narrowest", "coldest", "quietest", "least visited",
    "most photographed", "windiest", "saltiest", "youngest",
)  # fmt: skip
_LANDFORMS = (
    "canyon", "glacier", "cave system", "salt flat", "coral reef", "sand dune", "river delta",
    "mountain pass", "fjord", "mangrove forest", "lava tube", "gorge", "wetland", "peat bog",
    "sea cliff",
)  # fmt: skip
_REGIONS = (
    "northern europe", "central asia", "south america", "east africa", "the arctic circle",
    "southeast asia", "the pacific islands", "the andes", "the sahara", "western australia",
    "the balkans", "scandinavia", "the caribbean", "patagonia", "siberia", "the himalayas",
    "north africa", "the great plains", "the alps", "new zealand",
)  # fmt: skip
_DISTANCE_UNITS = ("meters", "kilometers", "feet", "miles", "yards")
_ROLES = (
    "a swiss clockmaker", "a portuguese sailor", "a danish farmer", "a teenage apprentice",
    "a retired teacher", "a village baker", "a scottish engineer", "a korean potter",
    "a dutch lens grinder", "a polish seamstress", "an irish blacksmith", "a finnish fisherman",
    "a greek shipbuilder", "a brazilian tailor", "a welsh miner", "a norwegian carpenter",
)  # fmt: skip
_MADE = ("built", "sketched", "patented", "tested", "designed", "sold", "repaired")
_INVENTIONS = (
    "folding umbrella", "mechanical pencil", "steam whistle", "can opener", "rubber boot",
    "paper straw", "bicycle bell", "pocket compass", "glass marble", "wind-up toy",
    "kitchen scale", "thimble", "rolling suitcase", "metal zipper", "typewriter ribbon",
)  # fmt: skip
_ORGANS = ("heart", "liver", "brain", "kidney", "skin", "lung", "stomach", "tongue", "eye")
_BODY_VERBS = ("moves", "replaces", "filters", "processes", "produces", "uses up")
_BODY_UNITS = (
    "liters of fluid", "million cells", "calories", "grams of protein", "signals",
    "tiny movements",
)  # fmt: skip
_PERIODS = ("hour", "day", "week", "month", "year", "night")
_COUNTABLES = (
    "beetles", "earthworms", "ants", "spiders", "microbes", "mites", "snails", "moths",
    "tiny crabs", "sea urchins",
)  # fmt: skip
_HABITATS = (
    "an acre of forest", "a square mile of meadow", "an average city park", "a backyard pond",
    "a hectare of rainforest", "a vegetable garden", "one old oak tree", "a mile of riverbank",
)  # fmt: skip
_FOODS = (
    "carrots", "pretzels", "jalapeños", "açaí berries", "tomatoes", "peanuts", "pickles",
    "marshmallows", "croissants", "crêpes", "oat biscuits", "sugar cubes", "rice cakes",
    "piñon nuts",
)  # fmt: skip
_ODD_USES = (
    "a cure for hiccups", "a toothpaste substitute", "a sailor's snack", "a wedding gift",
    "a paint thickener", "a cough remedy", "currency", "a hair treatment", "fishing bait",
    "a lucky charm",
)  # fmt: skip
_SKY_OBJECTS = (
    "a distant exoplanet", "the smallest known moon", "an icy comet", "a nearby brown dwarf",
    "a rogue asteroid", "a frozen dwarf planet", "a tidally locked world",
)  # fmt: skip
_SMALL_THINGS = (
    "grains of sand", "air bubbles", "seeds", "drops of water", "bacteria", "pollen grains",
    "salt crystals", "tiny pebbles",
)  # fmt: skip
_CONTAINERS = (
    "a beach bucket", "one watermelon", "a loaf of bread", "a jar of pickles",
    "a cup of seawater", "a handful of snow", "a bowl of rice",
)  # fmt: skip
_WIDE_PLACES = (
    "the sky has stars", "a forest has trees", "a city has people", "a country has cars",
    "a library has books", "the world has birds", "a town has houses",
)  # fmt: skip
_NICKNAMES = (
    "singing", "floating", "upside-down", "whispering", "sleeping", "crooked", "invisible",
    "leaning", "paper", "rainbow",
)  # fmt: skip
_STRUCTURES = (
    "bridge", "lighthouse", "tower", "library", "train station", "chapel", "windmill",
    "footbridge", "market hall", "clock tower",
)  # fmt: skip
_MOVERS = (
    "a racing pigeon", "a sailfish", "a greyhound", "a hot air balloon", "a kite surfer",
    "an ice yacht", "a diving falcon", "a dragonfly", "a snowboarder", "a sled dog team",
)  # fmt: skip
_SPEED_UNITS = ("kilometers per hour", "miles per hour")
_CONDITIONS = (
    "with a tailwind", "on a calm day", "when startled", "during a race", "over short distances",
    "in cold weather", "going downhill",
)  # fmt: skip
_FIRSTS = ("oldest", "smallest", "heaviest", "largest", "first known")
_ARTIFACTS = (
    "wooden spoon", "board game", "pair of shoes", "fishing hook", "loaf of bread", "flute",
    "love letter", "toothbrush", "sandwich", "map", "pair of dice", "chess piece",
)  # fmt: skip
_FIND_PLACES = (
    "inside a frozen lake", "under a kitchen floor", "in a sunken ship", "in a peat bog",
    "behind a fireplace", "at the bottom of a well", "in a desert cave", "beneath a parking lot",
    "inside a hollow tree",
)  # fmt: skip

# (weight, parts): a str is literal text, a range an integer drawn from it (10,000 and over get
# thousands separators), a tuple a word drawn from it. Weights set the comma, quote and
# non-ASCII shares described in the module docstring.
FACT_TEMPLATES: tuple[tuple[int, tuple[_Part, ...]], ...] = (
    (28, ("the ", _ANIMALS, " can ", _ABILITIES, " for ", range(2, 100), " ", _DURATIONS)),
    (24, ("the ", _SUPERLATIVES, " ", _LANDFORMS, " in ", _REGIONS, " is ", range(3, 9_000), " ",
          _DISTANCE_UNITS, " long")),
    (8, (_ROLES, " ", _MADE, " the first ", _INVENTIONS, " in ", range(1_450, 1_990), ", ",
         range(2, 300), " years early")),
    (24, ("the human ", _ORGANS, " ", _BODY_VERBS, " ", range(2, 9_999), " ", _BODY_UNITS,
          " a ", _PERIODS)),
    (8, ("over ", range(10_000, 9_000_000), " ", _COUNTABLES, " live in ", _HABITATS)),
    (16, (_FOODS, " were first sold as ", _ODD_USES, " in ", _REGIONS)),
    (16, ("a day on ", _SKY_OBJECTS, " lasts ", range(2, 400), " earth ", _DURATIONS)),
    (24, (_CONTAINERS, " holds more ", _SMALL_THINGS, " than ", _WIDE_PLACES)),
    (3, ('the so-called "', _NICKNAMES, '" ', _STRUCTURES, " was built in ", range(2, 60),
         " days")),
    (24, (_MOVERS, " can reach ", range(5, 400), " ", _SPEED_UNITS, " ", _CONDITIONS)),
    (12, ("the world\u2019s ", _FIRSTS, " ", _ARTIFACTS, " was found ", _FIND_PLACES)),
)  # fmt: skip

_OPENINGS = pa.array([*OPENING_COUNTS["claim"], *OPENING_COUNTS["opinion"]], pa.string())


def _mix(values: np.ndarray, key: np.uint64) -> np.ndarray:
    """Hash uint64 values with ``key`` (splitmix64 finaliser; uint64 arithmetic wraps)."""
    z = values ^ key
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _permute(values: np.ndarray, domain: int, keys: np.ndarray) -> np.ndarray:
    """Map uint64 ``values`` in ``[0, domain)`` through a keyed bijection of that range.

    A balanced Feistel network (one round per key) permutes the smallest even-bit range that
    holds ``domain``; results falling outside are fed through again ("cycle walking"), which
    keeps the map a bijection of ``[0, domain)``.
    """
    half = max(1, ((domain - 1).bit_length() + 1) // 2)
    shift, mask = np.uint64(half), np.uint64((1 << half) - 1)

    def encrypt(block: np.ndarray) -> np.ndarray:
        left, right = block >> shift, block & mask
        for key in keys:
            left, right = right, left ^ (_mix(right, key) & mask)
        return (left << shift) | right

    out = encrypt(values)
    outside = np.flatnonzero(out >= domain)
    while outside.size:
        out[outside] = encrypt(out[outside])
        outside = outside[out[outside] >= domain]
    return out


def _stratum_bounds(rows: int) -> np.ndarray:
    """Exclusive upper rank of each stratum: the real proportions, cumulatively rounded."""
    counts = np.array([stratum[3] for stratum in STRATA], dtype=np.int64)
    total = int(counts.sum())
    return ((np.cumsum(counts) * rows + total // 2) // total).astype(np.uint64)


def _draw_weighted(
    rng: np.random.Generator, codes: np.ndarray, weights: Sequence[Sequence[int]]
) -> np.ndarray:
    """Draw, for every row, an index into ``weights[code]`` with those relative weights."""
    picked = np.zeros(codes.size, dtype=np.intp)
    uniform = rng.random(codes.size)
    for code, class_weights in enumerate(weights):
        rows = codes == code
        cumulative = np.cumsum(class_weights) / np.sum(class_weights)
        picked[rows] = np.searchsorted(cumulative, uniform[rows], side="right")
    return picked


def _numbers_as_text(values: np.ndarray) -> pa.Array:
    """Integers as text, 10,000 and above with thousands separators."""
    if values.size and values.max() >= 10_000:
        return pa.array([f"{v:,}" if v >= 10_000 else str(v) for v in values.tolist()])
    return pc.cast(pa.array(values), pa.string())


def _render(rng: np.random.Generator, parts: tuple[_Part, ...], size: int) -> pa.Array:
    """Fill one fact template ``size`` times."""
    pieces: list[pa.Array | pa.Scalar] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(pa.scalar(part))
        elif isinstance(part, range):
            pieces.append(_numbers_as_text(rng.integers(part.start, part.stop, size)))
        else:
            pieces.append(pa.array(part).take(rng.integers(0, len(part), size)))
    return pc.binary_join_element_wise(*pieces, "")


def _facts(rng: np.random.Generator, size: int) -> pa.Array:
    """Draw a template per row, fill each template for its rows and restore row order."""
    weights = [weight for weight, _ in FACT_TEMPLATES]
    template = _draw_weighted(rng, np.zeros(size, dtype=np.intp), [weights])
    rows_by_template = [np.flatnonzero(template == t) for t in range(len(FACT_TEMPLATES))]
    rendered = [
        _render(rng, parts, rows.size)
        for (_, parts), rows in zip(FACT_TEMPLATES, rows_by_template, strict=True)
    ]
    position = np.empty(size, dtype=np.intp)
    position[np.concatenate(rows_by_template)] = np.arange(size)
    return pa.concat_arrays(rendered).take(position)


def _transcripts(rng: np.random.Generator, codes: np.ndarray) -> pa.Array:
    """``<opening> <fact>`` with the opening drawn by class; null for unlabeled rows."""
    claim_openings = len(OPENING_COUNTS["claim"])
    opening = _draw_weighted(
        rng,
        codes,
        [list(OPENING_COUNTS["claim"].values()), list(OPENING_COUNTS["opinion"].values()), [1]],
    )
    opening[codes == 1] += claim_openings
    text = pc.binary_join_element_wise(_OPENINGS.take(opening), _facts(rng, codes.size), " ")
    return pc.if_else(pa.array(codes == 2), pa.scalar(None, pa.string()), text)


def _feistel_keys(seed: int, stream: int) -> np.ndarray:
    """Four round keys for ``_permute``, from the seed's ``stream``."""
    return np.random.SeedSequence(seed, spawn_key=(stream,)).generate_state(4, dtype=np.uint64)


def _chunk(start: int, stop: int, rows: int, seed: int) -> pa.RecordBatch:
    """Rows ``[start, stop)`` of a ``rows``-row file; depends only on its arguments."""
    chunk_seed = np.random.SeedSequence(seed, spawn_key=(_CHUNK_STREAM, start // CHUNK_ROWS))
    rng = np.random.default_rng(chunk_seed)
    index = np.arange(start, stop, dtype=np.uint64)
    rank = _permute(index, rows, _feistel_keys(seed, _RANK_STREAM))
    stratum = np.searchsorted(_stratum_bounds(rows), rank, side="right")
    codes = _STRATUM_CODE[stratum]
    video_id = _permute(index, MAX_ROWS, _feistel_keys(seed, _ID_STREAM)) + np.uint64(10**9)
    size = stop - start
    views = rng.integers(VIEW_LOW[codes], VIEW_HIGH[codes])
    likes = np.rint(views * rng.uniform(0.0, LIKE_MAX[codes]))
    shares = np.rint(likes * rng.uniform(0.0, SHARE_MAX, size))
    downloads = np.rint(likes * rng.uniform(0.0, DOWNLOAD_MAX, size))
    comments = np.rint(downloads * rng.uniform(0.0, COMMENT_MAX[codes]))
    claim_status, verified_status, author_ban_status = (
        column.take(stratum) for column in _STRATUM_COLUMNS
    )
    columns = [
        pa.array(index.astype(np.int64) + 1),
        claim_status,
        pa.array(video_id.astype(np.int64)),
        pa.array(rng.integers(DURATION_SEC[0], DURATION_SEC[1] + 1, size)),
        _transcripts(rng, codes),
        verified_status,
        author_ban_status,
        *(
            pa.array(values.astype(np.int64), mask=codes == 2)
            for values in (views, likes, shares, downloads, comments)
        ),
    ]
    return pa.RecordBatch.from_arrays(columns, schema=SCHEMA)


def generate(rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> Iterator[pa.RecordBatch]:
    """The synthetic export as record batches of up to ``CHUNK_ROWS`` rows, made lazily in order.

    Raises ``ValueError`` at once for a row count outside ``[0, MAX_ROWS]`` or a negative seed.
    """
    if not 0 <= rows <= MAX_ROWS:
        raise ValueError(f"rows must be in [0, {MAX_ROWS:,}], got {rows:,}")
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    return (
        _chunk(start, min(start + CHUNK_ROWS, rows), rows, seed)
        for start in range(0, rows, CHUNK_ROWS)
    )


def _csv_field(text: pa.Array) -> pa.Array:
    """Quote a string column the way Python's ``csv.QUOTE_MINIMAL`` does."""
    needs_quotes = pc.match_substring_regex(text, '[",\r\n]')
    if not pc.any(needs_quotes).as_py():
        return text
    quoted = pc.binary_join_element_wise(
        '"', pc.replace_substring(text.filter(needs_quotes), '"', '""'), '"', ""
    )
    return pc.replace_with_mask(text, needs_quotes, quoted)


def _csv_lines(batch: pa.RecordBatch) -> pa.Buffer:
    """Render a batch as CSV rows (no header), each ending in ``\\n``, in one buffer."""
    cells = []
    for column in batch.columns:
        text = _csv_field(column) if column.type == pa.string() else column.cast(pa.string())
        cells.append(pc.fill_null(text, ""))
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, ","), "", "\n")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    first, last = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return lines.buffers()[2][first:last]


def _write_csv(batches: Iterator[pa.RecordBatch], sink: BinaryIO) -> Iterator[int]:
    """Write the header and then each batch to ``sink``; yield rows written after each batch.

    Batches are rendered ``CSV_SLICE_ROWS`` rows at a time to bound the text held in memory.
    """
    sink.write((",".join(SCHEMA.names) + "\n").encode())
    written = 0
    for batch in batches:
        for offset in range(0, batch.num_rows, CSV_SLICE_ROWS):
            sink.write(_csv_lines(batch.slice(offset, CSV_SLICE_ROWS)))
        written += batch.num_rows
        yield written


def _write_parquet(batches: Iterator[pa.RecordBatch], sink: BinaryIO) -> Iterator[int]:
    """Write each batch as a row group to ``sink``; yield rows written after each batch."""
    written = 0
    with pq.ParquetWriter(sink, SCHEMA) as writer:
        for batch in batches:
            writer.write_batch(batch)
            written += batch.num_rows
            yield written


def write(
    path: Path | str,
    rows: int = DEFAULT_ROWS,
    seed: int = DEFAULT_SEED,
    fmt: str = "csv",
    progress: bool = False,
) -> Path:
    """Write ``rows`` synthetic rows for ``seed`` to ``path`` as ``fmt`` ("csv" or "parquet").

    With ``progress`` the running row count goes to stderr after each chunk.
    """
    writers = {"csv": _write_csv, "parquet": _write_parquet}
    if fmt not in writers:
        raise ValueError(f"fmt must be one of {sorted(writers)}, got {fmt!r}")
    batches = generate(rows, seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as sink:
        for written in writers[fmt](batches, sink):
            if progress:
                print(f"synthetic: {written:,} / {rows:,} rows", file=sys.stderr, flush=True)
    return path


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point: ``python -m ml.synthetic``."""
    parser = argparse.ArgumentParser(
        prog="python -m ml.synthetic",
        description="Write the deterministic synthetic TikTok export (CSV or Parquet).",
    )
    parser.add_argument(
        "--rows", type=int, default=DEFAULT_ROWS, help="rows to write (default %(default)s)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)"
    )
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", dest="fmt")
    parser.add_argument(
        "--out",
        type=Path,
        help="output file (default: seeds/tiktok_dataset.<format> under the repository root)",
    )
    args = parser.parse_args(argv)
    out = args.out or REPO_ROOT / "seeds" / f"tiktok_dataset.{args.fmt}"
    try:
        write(out, args.rows, args.seed, args.fmt, progress=args.rows > CHUNK_ROWS)
    except ValueError as error:
        parser.error(str(error))
    print(f"synthetic: wrote {args.rows:,} rows (seed {args.seed}) to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
