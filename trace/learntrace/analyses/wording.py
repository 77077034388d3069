"""The words of safeguarding recommendations, reduced to the terms that say what a recommendation asks.

This is the one place that decides which words count: a Snowball stemmer (so "engage", "engaging"
and "engagement" are one term), a small synonym table (so "fathers" and "men", "safer" and "safe",
"pre-birth" and "unborn" meet), and stop words: ordinary English ones, and the words every
recommendation of every partnership uses ("should ensure that agencies...") that would otherwise make
any two recommendations look alike. Each entry of the tables says why it is there; change them only
with the labelled pairs in tests/fixtures/similar_pairs.yaml at hand (tests/test_similarity.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import lru_cache

# Phrases read as one term before the text is split into words: a hyphen or a space inside them
# would otherwise make two words of one idea.
PHRASES: tuple[tuple[str, str, str], ...] = (
    # (pattern, term, why)
    (r"pre[\s-]*birth", "unborn", "a pre-birth assessment is an assessment of the unborn baby"),
    (r"ante[\s-]*natal", "unborn", "antenatal care is care before birth, the time of pre-birth work"),
    (r"ante-(?=\s)", "unborn", '"ante- and post-natal" is written with the word split'),
    (r"pre[\s-]*natal", "unborn", "prenatal is antenatal"),
    (r"fathers?[\s-]+to[\s-]+be", "father", "a father-to-be is a father for this purpose"),
    (r"father[\s-]+figures?", "father", "father figures are the men around the baby, as fathers are"),
    (r"social\s+work(?:ers?)?", "social worker", "one role (social work is what social workers do), not two words"),
    (r"children'?s?\s+social\s+care|social\s+care|children'?s\s+services", "",
     "who is asked (a department), not what is asked: in many recommendations whatever they ask"),
    (r"health\s+visitors?", "health visitor", "one role, not the words health and visitor"),
    (r"safe(?:r|ty)?[\s-]+sleep(?:ing|s)?", "safe sleep", '"safer sleeping" and "safe sleep" are one campaign'),
    # Named processes: their words mean something else on their own ("protective factors" are not
    # child protection; "in need" is not the Child in Need process).
    (r"child\s+protection(?:\s+plans?)?", "child protection", "a named statutory process"),
    (r"child(?:ren)?\s+in\s+need", "child in need", "a named statutory process"),
    (r"child(?:ren)?\s+in\s+care|looked[\s-]+after\s+child(?:ren)?", "child in care", "a named status"),
    (r"early\s+help", "early help", "a named service"),
    (r"mental\s+health", "mental health", "a subject of its own, not health in general"),
    (r"domestic\s+(?:abuse|violence)", "domestic abuse", "a subject of its own (the words alone mean little)"),
    (r"substance\s+(?:mis)?use|drugs?\s+and\s+alcohol", "substance misuse", "a subject of its own"),
    (r"non[\s-]*accidental\s+injur(?:y|ies)", "non-accidental injury", "a subject of its own"),
    # Time frames say when, not what.
    (r"within\s+(?:\d+|one|two|three|six|twelve)\s+(?:months?|weeks?|years?)(?:\s+of\s+publication)?", "",
     "a deadline says when, not what"),
    (r"(?:under|below)\s+(?:12|twelve)\s+months(?:\s+of\s+age|\s+old)?", "babi", "a child under 12 months is a baby"),
)

# Stem -> the term it counts as. Keys are Snowball English stems of lower-case words.
SYNONYMS: dict[str, tuple[str, str]] = {
    # stem: (term, why)
    "men": ("father", 'reviews say "men" for the fathers and male carers around a baby (The Myth of Invisible Men)'),
    "man": ("father", "as men"),
    "male": ("father", '"male carers" are the fathers and partners in the reviews'),
    "dad": ("father", "dads are fathers"),
    "patern": ("father", "paternal means of the father"),
    "safer": ("safe", "safer and safe are one idea"),
    "infant": ("babi", "infants under 12 months are babies (babi is the stem of baby)"),
    "newborn": ("babi", "a newborn is a baby"),
    "pregnant": ("pregnanc", "pregnant and pregnancy are one idea; the stemmer keeps them apart"),
    "sw": ("social worker", "SW is how audits abbreviate social worker"),
    "hv": ("health visitor", "HV is how audits abbreviate health visitor"),
    "midwiv": ("midwif", "midwives is the plural of midwife; the stemmer keeps them apart"),
    "midwiferi": ("midwif", "midwifery is the midwives' service"),
    "children": ("child", "children is the plural of child; the stemmer keeps them apart"),
}

# Words that never make two recommendations similar, with the reason, checked after stemming.
DOMAIN_STOP_WORDS: dict[str, str] = {
    "norfolk": "the partnership's own place: in every record of this partnership",
    "nscp": "the partnership's own name",
    "nscb": "the board's former name",
    "lscp": "the usual name of any local partnership",
    "partnership": "the body that holds every recommendation",
    "safeguard": "the subject of every record, not a subject of one",
    "should": "every recommendation says it",
    "must": "as should",
    "ensur": "\"ensure that\" is how recommendations begin, not what they ask",
    "need": "\"there needs to be\", as should",
    "encourag": "\"are encouraged to\", as should",
    "consid": "\"should consider\", as should",
    "agenc": "\"agencies\" and \"partner agencies\" are who is asked in every recommendation",
    "multi": "\"multi-agency\" is how every partnership works",
    "partner": "\"partner agencies\", \"partners\": who is asked, not what (fathers are found by father)",
    "practition": "practitioners are who is asked in every recommendation",
    "profession": "professionals: as practitioners",
    "staff": "as practitioners",
    "organis": "partner organisations: as agencies",
    "relev": "\"relevant agencies\"",
    "appropri": "\"appropriate staff\"",
    "effect": "\"effective\", \"effectively\": every recommendation wants it",
    "review": "\"this review\" is the source itself; \"review the...\" is a directive like ensure",
    "learn": "\"the learning from this review\" is about the source, not the subject",
    "recommend": "as review",
    "work": "\"when working with families\" closes many recommendations whatever they ask",
    "also": "filler",
    "includ": "\"including\" introduces a list; the list's words count",
    "specif": "\"specifically\", \"specific\": emphasis",
    "particular": "\"particularly\": emphasis",
    "clear": "\"clear\": every recommendation wants it",
    "clearer": "as clear",
    "better": "as clear",
    "develop": "\"develop\", \"developed\": a directive verb, as ensure",
    "implement": "as develop",
    "continu": "\"continue to\": as should",
    "promot": "\"promote\": a directive verb, as ensure",
    "improv": "as promote",
    "address": "as promote",
    "evid": "\"evidence how\", \"must be evidenced\": as ensure",
    "child": "every recommendation of a children's partnership is about children",
    "famili": "\"working with families\": as child",
    "use": "\"use\", \"using\": says how, not what",
    "involv": "\"involved\", \"involvement\": as use",
    "servic": "\"services\" is who provides, in many recommendations whatever they ask",
    "practic": "\"practice\", \"good practice\": what every recommendation is about",
    "impact": "\"evaluate the impact\": every recommendation wants to know it",
    "outcom": "as impact",
    # Policy words: they say how strongly, how or by whom something is asked, in any recommendation.
    "robust": "policy word: how strongly",
    "local": "policy word: where (every recommendation is local to its partnership)",
    "addit": "\"additional\", \"additionally\": policy word",
    "identifi": "\"identify\", \"identified needs\": policy word",
    "action": "\"action\", \"actions\": policy word",
    "support": "\"support\": what every service gives",
    "lead": "\"lead on\", \"should lead to\": policy word",
    "link": "\"links\", \"linked to\": policy word",
    "share": "\"shared with\", \"sharing\": policy word",
    "awar": "\"aware\", \"raise awareness\": policy word",
    "respons": "response, responsive, responsibilities: policy words the stemmer makes one",
    "factor": "\"factors\": policy word",
    "risk": "risk is what every safeguarding recommendation is about, as safeguarding",
    "concern": "\"safeguarding concerns\", \"a source of concern\": as risk",
    "case": "\"cases\": how social care counts its work, in many recommendations",
    "situat": "\"situation\", \"situational\": policy word",
    "increas": "\"increase\", \"increasingly\": policy word",
    "decis": "\"decisions\", \"decision-making\": policy word",
}

# The subjects safeguarding learning is about (the strategy's own list in section 1.3, the national
# reviews' subjects, and the "toxic trio" of Working Together): a recommendation's subject weighs more
# than the practice it asks for, so two texts about fathers meet before two texts that both say "visit".
SUBJECT_TERMS: dict[str, str] = {
    "father": "The Myth of Invisible Men: the fathers and men around a baby",
    "conceal": "the strategy's aim 2.2: concealed or denied pregnancy",
    "safe sleep": "the strategy's aim 2.3 and the SUDI review: safer sleeping",
    "cri": "the strategy's aim: the capacity of parents and carers to manage crying (stem of cry)",
    "non-accidental injury": "the strategy's aim 2.1 and Case AF",
    "domestic abuse": "Working Together's toxic trio",
    "substance misuse": "Working Together's toxic trio",
    "mental health": "Working Together's toxic trio",
    "neglect": "a category of abuse",
}
# How much more a subject term weighs than another term of the same rarity.
SUBJECT_WEIGHT = 2.0

# Words the stemmer would merge with a word of another meaning: kept whole.
KEEP_WHOLE: dict[str, str] = {
    "cultural": "cultural genograms are about heritage; a culture change is about an organisation",
    "integral": "an integral part is not integrated services",
    "protective": "protective factors are not child protection",
}

# Ordinary English function words (checked before stemming).
_ENGLISH = """
a about above across after again against all almost along already also although always am among an and
another any anyone anything are around as at be became because become been before being below between
both but by can cannot could did do does doing done down during each either else enough etc even ever
every everyone few for from further get give given had has have having he her here hers herself him
himself his how however i if in into is it its itself just least less made make many may me might mine
more most much my myself neither no nor not of off often on once one only onto or other others our ours
ourselves out over own per rather same see seen several she so some such than that the their theirs
them themselves then there these they this those though through thus to too toward towards under until
up upon us very via was we were what whatever when where whether which while who whom whose why will
with within without would yet you your yours eg ie
pre post non co re fully
"""
ENGLISH_STOP_WORDS = frozenset(_ENGLISH.split())

# The phrases, found first (one pattern, tried where a word starts); the words between them after.
# (Without named groups: they make the scan several times slower; the phrase is named afterwards.)
_PHRASE = re.compile(r"\b(?:" + "|".join(f"(?:{pattern})" for pattern, _, _ in PHRASES) + r")(?![a-z0-9])")
_PHRASE_TERMS = tuple((re.compile(pattern), term) for pattern, term, _ in PHRASES)
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _stem_function() -> Callable[[str], str]:
    import Stemmer  # PyStemmer: the Snowball project's own stemmer, in C

    stem: Callable[[str], str] = Stemmer.Stemmer("english").stemWord
    return stem


@lru_cache(maxsize=100_000)
def term_of(word: str) -> str | None:
    """The term a lower-case word counts as, or None when it is a stop word."""
    if len(word) < 2 or word in ENGLISH_STOP_WORDS:
        return None
    stem = word if word in KEEP_WHOLE else _stem_function()(word)
    term = SYNONYMS[stem][0] if stem in SYNONYMS else stem
    return None if term in DOMAIN_STOP_WORDS else term


def _phrase_term(text: str, match: re.Match[str]) -> str:
    # A phrase's pattern looks at most one character past it (a space after "ante-").
    return _term_of_phrase(match.group(), text[match.end():match.end() + 1])


@lru_cache(maxsize=10_000)
def _term_of_phrase(phrase: str, after: str) -> str:
    for pattern, term in _PHRASE_TERMS:
        found = pattern.match(phrase + after)
        if found is not None and found.end() == len(phrase):
            return term
    return ""  # not reached: the phrase was found by one of these patterns


def _word_terms(text: str, found: list[tuple[str, str]]) -> None:
    for word in _WORD.findall(text):
        term = term_of(word)
        if term is not None:
            found.append((term, word))


def terms(text: str) -> list[tuple[str, str]]:
    """The (term, word as written, in lower case) pairs of a text, in order, stop words left out."""
    return list(zip(*text_terms(text), strict=True))


@lru_cache(maxsize=100_000)
def text_terms(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A text's terms, and each as written (in lower case), in order: worked out once per text while the
    process runs (trace diff and the reports compare the texts of several snapshots, mostly the same),
    and kept compact (the words are interned: a partnership writes a few thousand distinct words)."""
    found = _found_terms(text)
    return tuple(term for term, _ in found), tuple(sys.intern(word) for _, word in found)


def _found_terms(text: str) -> list[tuple[str, str]]:
    lowered = text.lower().replace("\u2019", "'")
    found: list[tuple[str, str]] = []
    done = 0
    for match in _PHRASE.finditer(lowered):
        _word_terms(lowered[done:match.start()], found)
        term = _phrase_term(lowered, match)
        if term:
            found.append((term, " ".join(match.group().split())))
        done = match.end()
    _word_terms(lowered[done:], found)
    return found
