"""What a piece of report text is about: content words, code anchors, where/how qualifiers.

Shared by identity (fingerprints: words only) and closing (anchors: the commands and files
a deferral names must reappear on the evidence). Crude on purpose: no NLP dependency, just
stopwords, suffix stripping, and code spans/commands/paths, which is what agents' reports
repeat verbatim from one task to the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _wordset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can cannot could did do does doing done down during each either else
etc every few for from further had has have having here how however if in into is it its itself
just may me might more most must my no nor not now of off on once only or other our out over own
per same she should so some such than that the their them then there these they this those
through to too under until up upon us very via was we were what when where whether which while
who why will with within without would yet you your i e g ie eg vs
""")

# Words every deferral and every report uses: they say nothing about WHICH check it is.
GENERIC_WORDS = _wordset("""
test tests tested testing validate validated validation validating verify verified verification
check checked checking run running ran runs execute executed perform performed full fully
complete completed completion pending defer deferred later future follow followup need needs
needed require requires required requirement manual manually task tasks plan plans phase phases
step steps next todo note notes status pass passed passing fail failed failure success successful
successfully work works working done still yet currently actual actually real proper properly
available possible ensure confirm confirmed item items section report summary issue issues known
limitation limitations result results expected expect outside scope new use used using make made
one two three first all both
""")

_WORD = re.compile(r"[a-z][a-z0-9]+")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_FILE_LIKE = re.compile(r"(?<![\w/])(\.?[\w-]+(?:[/.][\w-]+)*\.[a-z][a-z0-9]{0,4})(?![\w/])", re.I)
COMMAND_HEAD = re.compile(
    r"^(npm|npx|pnpm|yarn|bun|node|deno|go|cargo|make|docker|fly|flyctl|kubectl|pytest|python3?|pip|uv|"
    r"poetry|ruff|mypy|tsc|eslint|jest|vitest|supabase|psql|curl|git|gradle|mvn|dotnet|cmake|terraform|"
    r"bundle|rake|rails|php|composer|mix|swift|xcodebuild|helm)\b"
)


def stem(word: str) -> str:
    """Crude suffix stripping so "builds"/"building"/"built" meet; enough for overlap counting."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: len(word) - len(suffix)] + keep
    return word


@dataclass(frozen=True, slots=True)
class Terms:
    """What a piece of text is about: content words and code anchors (commands, files)."""

    words: frozenset[str]
    anchors: frozenset[str]
    qualifiers: frozenset[str] = frozenset()

    @property
    def commands(self) -> frozenset[str]:
        return frozenset(a for a in self.anchors if COMMAND_HEAD.match(a))

    @property
    def checks(self) -> frozenset[str]:
        """Commands whose success IS a check (build, test, lint), not a means (dev server, start)."""
        return frozenset(
            a for a in self.commands if _CHECK_COMMAND.search(a) and not _MEANS_COMMAND.search(a)
        )


# The point of many deferrals is WHERE or HOW a check runs: a pass without the same qualifier
# ("tested with fixtures" for "not tested with live events") is not the owed check.
_QUALIFIER = re.compile(
    r"\b(live|real|production|prod|staging|deployed|deployment|actual|e2e|end-to-end|manual(?:ly)?|"
    r"by hand|device|devices|browser|hardware|in ci|on ci|windows|macos|linux|ios|android)\b",
    re.I,
)
_CHECK_COMMAND = re.compile(
    r"\b(build|test|tests|lint|typecheck|type-check|tsc|vet|check|pytest|jest|vitest|mypy|ruff|eslint|"
    r"hadolint|compile|tidy|download|migrate|migration|validate|verify|audit)\b|test\w*\.|\.test\.|_test\b",
    re.I,
)
_MEANS_COMMAND = re.compile(r"\b(dev|start|serve|server|watch|preview|open|install)\b", re.I)
BY_A_PERSON = re.compile(
    r"\b(manual(?:ly)?|by hand|click\w*|visual(?:ly)?|eyeball|human|person|sign-?off|in (?:a|the) browser|"
    r"on (?:a )?(?:real )?device|in (?:a|the) daw)\b",
    re.I,
)


def qualifiers(text: str) -> frozenset[str]:
    return frozenset(q.lower().replace("manually", "manual") for q in _QUALIFIER.findall(text))


# Commands written without backticks (the detector gives plain text; many reports never quote
# commands). Case-sensitive: commands are typed in lowercase, product names in prose are not
# ("via Supabase client" is not a command). Only tools whose name is not an everyday word, or
# a word plus a known subcommand; arguments stop at the first ordinary word.
_PLAIN_COMMAND = re.compile(
    r"(?<![\w/.-])(?:"
    r"(?:npm|npx|pnpm|yarn|docker|flyctl|kubectl|pytest|cargo|tsc|eslint|vitest|jest|supabase|psql|"
    r"terraform|gradle|mvn|dotnet|cmake|xcodebuild|poetry|ruff|mypy|hadolint)"
    r"|go (?:build|test|vet|run|mod|get|install|generate)|fly (?:deploy|launch|secrets|scale)"
    r"|node [\w./-]+\.[cm]?[jt]s|python3? (?:-m )?[\w./-]+|git (?:commit|push|tag|merge)"
    r")(?![\w-])(?: [\w./:@=*-]+){0,3}"
)
_ARGUMENT_STOP = STOPWORDS | _wordset(
    "passes passed pass fails failed fail succeeds succeeded runs ran then could did not was were"
)


def _plain_commands(text: str) -> Iterator[str]:
    for match in _PLAIN_COMMAND.finditer(text):
        words = match.group(0).split(" ")
        keep = [words[0]]
        for word in words[1:]:
            if word.lower().strip(".,;:") in _ARGUMENT_STOP:
                break
            keep.append(word)
        anchor = normalise_anchor(" ".join(keep))
        if " " in anchor:
            yield anchor


def normalise_anchor(text: str) -> str:
    text = text.strip().strip(".,;:()[]'\"").lower()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"(/\.\.\.|/\*|\.\.\.)$", "", text)
    return text.rstrip("/")


@lru_cache(maxsize=4096)
def key_terms(text: str) -> Terms:
    anchors: set[str] = set()
    for span in _CODE_SPAN.findall(text):
        anchor = normalise_anchor(span)
        if len(anchor) >= 3:
            anchors.add(anchor)
    anchors.update(_plain_commands(_CODE_SPAN.sub(" ", text)))
    for token in _FILE_LIKE.findall(_CODE_SPAN.sub(" ", text)):
        anchor = normalise_anchor(token)
        if len(anchor) >= 4 and not re.fullmatch(r"[\d.]+", anchor) and not _looks_like_prose(anchor):
            anchors.add(anchor)
    words = {
        stem(w) for w in _WORD.findall(text.lower().replace("_", " "))
        if w not in STOPWORDS and len(w) >= 3
    }
    words -= _GENERIC_DROPPED
    return Terms(frozenset(words), frozenset(anchors), qualifiers(text))


_GENERIC_DROPPED = frozenset({stem(w) for w in GENERIC_WORDS} | GENERIC_WORDS)
"""Generic words and their stems, dropped from every text's words (stemmed once, not per call)."""


def _looks_like_prose(token: str) -> bool:
    """"e.g." or "i.e." or a sentence end glued to the next word are not file names."""
    return bool(re.fullmatch(r"[a-z]{1,2}\.[a-z]{1,2}", token))


def anchors_match(a: str, b: str) -> bool:
    """Same command or file, allowing a path pattern ("go build ./cmd/...") to cover a member."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 6 or not long_.startswith(short):
        return False
    return not long_[len(short)].isalnum()


def matched_anchors(wanted: Iterable[str], offered: Iterable[str]) -> set[str]:
    offered = list(offered)
    return {a for a in wanted if any(anchors_match(a, b) for b in offered)}


def word_overlap(item: Terms, other: Terms) -> tuple[int, float]:
    """Shared content words, and the share of the item's words the other text covers."""
    if not item.words:
        return 0, 0.0
    shared = len(item.words & other.words)
    return shared, shared / len(item.words)
