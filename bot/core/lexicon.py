"""General English word groups a student may use for what a text says in other words.

This is deliberately generic (no course's names or topics): course-specific vocabulary belongs
in the course's aliases. Synonyms count for less than the student's own word (see matching).
"""

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("win", "won", "winner", "victory", "victorious", "triumph", "succeed", "success"),
    ("lose", "lost", "loser", "defeat", "defeated", "fail", "failure"),
    ("meet", "met", "meeting", "visit", "visited", "see", "saw", "seen", "talk", "conversation"),
    ("learn", "learned", "learnt", "lesson", "realise", "realised", "realize", "realized", "understand", "understood"),
    ("leave", "left", "quit", "exit", "withdraw", "withdrew", "pull", "pulled"),
    ("fight", "fought", "war", "conflict", "hostility", "battle", "attack", "combat"),
    ("angry", "anger", "upset", "furious", "unhappy", "annoyed", "mad"),
    ("happy", "pleased", "glad", "satisfied", "impressed"),
    ("afraid", "scared", "frightened", "fear", "shocked", "worried"),
    ("end", "ended", "over", "finish", "finished", "conclude", "concluded"),
    ("start", "started", "begin", "began", "beginning", "outbreak"),
    ("country", "nation", "state"),
    ("leader", "head", "ruler", "chief"),
    ("say", "said", "tell", "told", "announce", "announced", "report", "reported", "state", "stated"),
    ("agree", "agreed", "agreement", "deal", "promise", "promised", "offer", "exchange", "return", "trade"),
    ("remove", "removed", "removal", "take", "dismantle", "withdraw"),
    ("secret", "secretly", "hidden", "private", "confidential"),
    ("important", "significant", "key", "main", "major", "crucial"),
    ("result", "consequence", "outcome", "effect", "affect", "impact", "aftermath"),
    ("cause", "reason", "because", "why"),
    ("weak", "cowardly", "coward", "scared"),
    ("think", "thought", "believe", "felt", "feel", "opinion", "view"),
    ("danger", "dangerous", "risk", "risky", "threat"),
    ("phone", "telephone", "call", "line"),
    ("talk", "communicate", "communication", "contact"),
    ("tense", "tension", "stress"),
    ("fall", "fell", "lose", "ousted", "removed", "downfall"),
    ("power", "office", "control"),
    ("force", "military", "attack", "invade", "invasion", "strike"),
    ("destroy", "destroyed", "bomb", "wreck"),
    ("independent", "independence", "alone", "separate", "own"),
    ("ask", "asked", "consult", "consulted"),
    ("shock", "shocked", "surprise", "surprised"),
    ("ultimatum", "threat", "threaten", "threatened", "demand", "warning"),
    ("soon", "quickly", "later", "after"),
    ("ambassador", "diplomat", "envoy"),
    ("handle", "handled", "manage", "managed", "deal"),
    ("happen", "happened", "occur", "occurs", "occurred"),
    ("release", "released", "emit", "emitted", "produce", "produced"),
    ("absorb", "absorbed", "intake"),
    ("discover", "discovered", "invent", "invented"),
)

# Phrasal verbs that mean one word: matched as that word (after the course's own aliases).
PHRASES: dict[str, str] = {
    "take place": "happen", "takes place": "happen", "took place": "happen", "taking place": "happen",
    "give off": "release", "gives off": "release", "gave off": "release", "given off": "release",
    "take in": "absorb", "takes in": "absorb", "took in": "absorb", "taken in": "absorb",
    "find out": "discover", "found out": "discover", "come up with": "invent", "came up with": "invent",
    "get rid of": "remove", "got rid of": "remove", "pull out": "withdraw", "pulled out": "withdraw",
    "back down": "retreat", "backed down": "retreat", "climb down": "retreat", "set up": "establish",
    "carry out": "perform", "carried out": "perform", "go on": "continue", "went on": "continue",
}

# Everyday English that students wrap questions in. When the course never uses one of these words it
# is probably phrasing, not a topic the course lacks, so it weighs less than an unknown rare word.
COMMON_WORDS = frozenset(
    """
    able accept according act add affect agree allow almost alone already always answer appear ask away back bad
    become begin believe best better big bring build buy call care carry case cause change check choose
    close come consider continue cost could create cut deal decide describe different do done down during
    early easy effect end enough even every example explain fact fail fall far fast feel felt few find
    first follow form full get give go going gone good great group grow happen happened hard have help
    high hold how important include just keep kind know large last late lead learn least leave less let
    life like likely little live long look lose lot low main make many matter mean meet might more most
    move much must name near need never new next nothing now number often old only open order other part
    pass people person place plan play point possible power problem provide pull put quite rather reach
    read ready real really reason remember result right run same say see seem send set show side similar
    simple small so some something soon sort start stay still stop such sure take talk tell than thing
    think time today together too true try turn type under understand until use used usually very want
    way well whole why will without word work world would wrong year yes young
    """.split()  # noqa: SIM905 (a word list is easier to read and edit as text)
)
