"""General English word groups a student may use for what a text says in other words.

Source: WordNet 3.0 (Princeton University, https://wordnet.princeton.edu; the data the Debian
package ``wordnet-base`` installs). Every word of a group shares a WordNet synset with another word
of the group, inflected forms reduced with WordNet's own exception lists ("won" -> "win");
``python scripts/check_lexicon.py`` checks this (the bot never reads WordNet at run time). A group
is kept only where the words are synonyms in ordinary English, whatever the subject; a word stands
in one group at most, and no group holds a function word the matcher ignores (it could never fire).

Vocabulary that only one subject equates (cowardly ~ weak, ambassador ~ envoy, ultimatum ~ threat)
belongs to that course: ``synonyms:`` in its course.yaml. Synonyms count for less than the student's
own word (see matching).
"""

from bot.core.text import _stemmer, stem

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("win", "won", "winner", "victory", "triumph", "succeed", "success"),
    ("lose", "lost", "loser", "defeat", "defeated", "failure"),
    ("meet", "met", "meeting", "visit", "visited", "see", "saw", "seen"),
    ("learn", "learned", "learnt", "realise", "realised", "realize", "realized", "understand", "understood"),
    ("leave", "left", "exit", "withdraw", "withdrew", "pull", "pulled"),
    ("fight", "fought", "conflict", "battle", "combat"),
    ("angry", "furious"),
    ("happy", "glad"),
    ("scared", "frightened"),
    ("end", "ended", "finish", "finished", "conclude", "concluded"),
    ("start", "started", "begin", "began", "beginning"),
    ("country", "nation"),
    ("head", "chief"),
    ("say", "said", "told", "announce", "announced", "report", "reported", "stated"),
    ("agree", "agreed", "promise", "promised"),
    ("remove", "removed", "take"),
    ("secret", "hidden", "private", "confidential"),
    ("important", "significant", "crucial"),
    ("result", "consequence", "outcome", "effect", "aftermath"),
    ("cause", "reason"),
    ("think", "thought", "believe", "felt", "feel", "opinion", "view"),
    ("danger", "risk"),
    ("phone", "telephone", "call"),
    ("tension", "stress"),
    ("fall", "fell", "downfall"),
    ("power", "office"),
    ("destroy", "destroyed"),
    ("ask", "asked", "consult", "consulted"),
    ("shock", "shocked", "surprise", "surprised"),
    ("threat", "menace", "threaten", "threatened"),
    ("handle", "handled", "manage", "managed"),
    ("happen", "happened", "occur", "occurs", "occurred"),
    ("release", "released", "emit", "emitted", "produce", "produced"),
    ("absorb", "absorbed"),
    ("discover", "discovered", "invent", "invented"),
)

# Phrasal verbs that mean one word (WordNet lists each as a synonym of it): matched as that word,
# after the course's own aliases and synonyms.
PHRASES: dict[str, str] = {
    "take place": "happen", "takes place": "happen", "took place": "happen", "taking place": "happen",
    "give off": "emit", "gives off": "emit", "gave off": "emit", "given off": "emit",
    "take in": "absorb", "takes in": "absorb", "took in": "absorb", "taken in": "absorb",
    "find out": "discover", "found out": "discover",
    "get rid of": "remove", "got rid of": "remove", "set up": "establish",
    "carry out": "execute", "carried out": "execute", "go on": "continue", "went on": "continue",
}

# Everyday English that students wrap questions in (a hand-written list of common English verbs,
# nouns and adjectives, not drawn from any course). When the course never uses one of these words it
# is probably phrasing, not a topic the course lacks, so it weighs less than an unknown rare word.
# Checked by stem (is_common): "became" is as everyday as "become". Function words are not listed:
# the matcher drops them before this list is consulted.
COMMON_WORDS = frozenset(
    """
    able accept according act add affect agree allow almost alone already always answer appear ask away back bad
    become begin believe best better big bring build buy call care carry case cause change check choose close come
    consider continue cost create cut deal decide different done early easy effect end enough even every example
    fact fail fall far fast feel felt find first follow form full give go going gone good great group grow happen
    happened hard help high hold important include keep kind large last late lead learn least leave less let life
    likely little live long look lose lot low main make matter meet might move must name near need never new next
    nothing now number often old open order part pass people person place plan play point possible power problem
    provide pull put quite rather reach read ready real reason remember result right run say see seem send set
    show side similar simple small soon sort start stay still stop sure take talk think time today together true
    try turn type understand use used usually want way whole will without word work world wrong year young
    """.split()  # noqa: SIM905 (a word list is easier to read and edit as text)
)

COMMON_STEMS = frozenset(stem(w) for w in COMMON_WORDS) | frozenset(_stemmer.stemWord(w) for w in COMMON_WORDS)
# Irregular forms of those words, from WordNet 3.0's verb exception list (verb.exc).
IRREGULAR_FORMS: dict[str, str] = {
    "became": "become", "began": "begin", "beginning": "begin", "begun": "begin", "bought": "buy", "brought":
    "bring", "built": "build", "came": "come", "carried": "carry", "chose": "choose", "chosen": "choose",
    "cutting": "cut", "dealt": "deal", "easied": "easy", "fallen": "fall", "fell": "fall", "found": "find",
    "gave": "give", "given": "give", "grew": "grow", "grown": "grow", "held": "hold", "kept": "keep", "learnt":
    "learn", "led": "lead", "left": "leave", "letting": "let", "lost": "lose", "lotted": "lot", "lotting": "lot",
    "made": "make", "met": "meet", "planned": "plan", "planning": "plan", "putting": "put", "ran": "run",
    "running": "run", "said": "say", "saw": "see", "seen": "see", "sent": "send", "setting": "set", "shown":
    "show", "stopped": "stop", "stopping": "stop", "taken": "take", "thought": "think", "took": "take", "tried":
    "try", "understood": "understand", "went": "go", "wrought": "work"
}


def is_common(word: str) -> bool:
    """Whether a (folded) word is everyday English, in any of its forms ("became", "tries")."""
    return word in COMMON_WORDS or word in IRREGULAR_FORMS or stem(word) in COMMON_STEMS
