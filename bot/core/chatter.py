"""Messages that are talk, not questions: greetings, thanks, "help", "quit", laughter, insults.

They must never be answered with a fact ("quit" is not a question about France leaving NATO).
``classify`` says which kind of chatter a message is, or None for a real question. The engine
answers chatter with ``Answer(answered=False, reason=<kind>)`` and a notice; adapters may act on
the kind (a terminal chat leaves on "quit").

The word lists are everyday English conversation (greetings, thanks, leave-taking, laughter and
common insults as in any dictionary of English usage), the same for every course: a message is
chatter only when *every* word of it is one of these, so "help me with photosynthesis" or
"what is an insult" stay questions.
"""

from __future__ import annotations

GREETING = "greeting"
THANKS = "thanks"
HELP = "help"
QUIT = "quit"
LAUGH = "laugh"
INSULT = "insult"
ACK = "ack"

# The words of each kind; a message's kind is the kind of its most telling word (order of _PRIORITY).
_WORDS: dict[str, frozenset[str]] = {
    QUIT: frozenset(["quit", "exit", "bye", "goodbye", "cya", "leave", "q"]),
    HELP: frozenset(["help", "commands", "command", "usage", "instructions"]),
    INSULT: frozenset(
        ["stupid", "dumb", "idiot", "idiotic", "useless", "trash", "garbage", "rubbish", "suck", "sucks", "sucked", "hate", "worst", "shut", "up", "stfu", "lame", "annoying", "pathetic", "moron", "loser", "clown"]
    ),
    THANKS: frozenset(["thanks", "thank", "thx", "thnx", "ty", "tysm", "cheers", "ta", "appreciate", "appreciated"]),
    LAUGH: frozenset(["lol", "lolz", "lmao", "lmfao", "rofl", "haha", "hahaha", "hehe", "xd", "funny"]),
    GREETING: frozenset(["hi", "hello", "hey", "hiya", "yo", "sup", "howdy", "morning", "evening", "afternoon", "night", "greetings", "gm"]),
    ACK: frozenset(["ok", "okay", "k", "kk", "cool", "nice", "great", "awesome", "alright", "sure", "yes", "yeah", "yep", "yup", "no", "nope", "nah", "got", "it", "fine"]),
}
_PRIORITY = (QUIT, HELP, INSULT, THANKS, LAUGH, GREETING, ACK)

# Words that may surround chatter without making it a question ("thank you so much", "you are useless bot").
_GLUE = frozenset(
    ["you", "u", "ur", "your", "youre", "you're", "are", "r", "is", "so", "much", "very", "really", "a", "the", "this", "that", "bot", "classbot", "man", "bro", "dude", "guys", "all", "again", "good", "im", "i", "am", "it", "its", "just", "me", "for", "please", "pls", "plz", "too", "such", "ever", "lot", "lots", "of"]
)
# Commands written the terminal or chat way ("/quit", "/help").
_SLASH = {"/quit": QUIT, "/exit": QUIT, "/q": QUIT, "/help": HELP, "/?": HELP, "?": HELP}
# Whole messages that ask about the bot itself, not the course.
_ABOUT_ME = {
    "what can you do": HELP, "what do you do": HELP, "how do you work": HELP, "how does this work": HELP,
    "who are you": HELP, "what are you": HELP, "how do i use this": HELP, "how do i use you": HELP,
    "see you": QUIT, "see ya": QUIT, "see you later": QUIT, "i am done": QUIT, "im done": QUIT,
}


def classify(text: str, words: list[str]) -> str | None:
    """The kind of chatter ``text`` is (its folded ``words`` given), or None when it asks something.

    Only short messages can be chatter, and only when every word is chatter or glue."""
    slash = _SLASH.get(text.strip().lower())
    if slash:
        return slash
    about = _ABOUT_ME.get(" ".join(words))
    if about:
        return about
    if not words or len(words) > 8:
        return None
    kinds = set()
    for w in words:
        kind = next((k for k in _PRIORITY if w in _WORDS[k]), None)
        if kind is None:
            if w in _GLUE:
                continue
            return None
        kinds.add(kind)
    if not kinds:
        return None
    if QUIT in kinds and len(words) > 2 and kinds != {QUIT}:
        kinds.discard(QUIT)  # "stop being stupid": the insult, not a wish to leave
    return next(k for k in _PRIORITY if k in kinds)


NOTICES: dict[str, str] = {
    GREETING: "Hello! I answer questions about {course}. Try: {example}",
    THANKS: "You're welcome! Ask me anything else about {course}.",
    HELP: "Ask me a question about {course} in your own words, for example: {example}. "
          "I answer from the course notes and quote where the answer comes from.",
    QUIT: "Bye! Come back any time you have a question about {course}.",
    LAUGH: "\U0001f604 Ask me something about {course} whenever you like.",
    INSULT: "Sorry I couldn't help. Try asking about {course} in other words, for example: {example}",
    ACK: "OK! Ask me anything about {course}.",
}
