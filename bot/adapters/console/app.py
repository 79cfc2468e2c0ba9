"""`classbot chat`: the terminal chat a new user runs first. No tokens, no accounts."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.adapters.console.render import render_answer
from bot.core.chatter import QUIT as QUIT_KIND
from bot.core.followup import Conversations
from bot.core.safetext import clean_text

QUIT = ("quit", "exit", "/quit", "/exit", "/q")

HELP = """Type a question and press Enter. Commands:
  /help          this help
  /topics        what the course covers
  /1, /2, /3     ask a suggested question
  quit, exit     leave (also /quit, /exit, bye or Ctrl-D)
After an answer, "why?", "tell me more", "and then?" or "what about X?" follow it up."""


def run_chat(engine, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        try:
            import readline  # noqa: F401  (line editing and history for input())
        except ImportError:
            pass
    engines = list(getattr(engine, "engines", None) or [engine])  # a MultiEngine holds several courses
    titles = [e.course.title for e in engines]
    shown = titles[0] if len(titles) == 1 else f"{len(titles)} courses: {', '.join(titles)}"
    print(f"classbot \u2014 {shown}. Ask a question; /help for help, quit to leave.", file=stdout)
    suggestions: tuple[str, ...] = ()
    conversations = Conversations()  # "why?" and "tell me more" refer to the last answer, as on Discord/Slack
    while True:
        try:
            if interactive:
                line = input("\nyou> ")
            else:
                print("\nyou> ", end="", file=stdout, flush=True)
                line = stdin.readline()
                if not line:
                    raise EOFError
        except EOFError:
            print("\nBye!", file=stdout)
            return 0
        except KeyboardInterrupt:
            print("\n(type quit, or Ctrl-D, to leave)", file=stdout)
            continue
        line = clean_text(line)
        if line in ("/help", "/?", "help"):
            print(HELP, file=stdout)
            continue
        if line == "/topics":
            _topics(engines, stdout)
            continue
        if line.lower() in QUIT:
            print("Bye!", file=stdout)
            return 0
        if line[:1] == "/" and line[1:].isdigit():
            n = int(line[1:])
            if not 1 <= n <= len(suggestions):
                print("No such suggestion.", file=stdout)
                continue
            line = suggestions[n - 1]
            print(f"(asking: {line})", file=stdout)
        answer = conversations.ask(engine, "console", line)
        if answer.reason == QUIT_KIND:  # "bye", "see you", "im done": leave, as quit does
            print("Bye!", file=stdout)
            return 0
        suggestions = answer.suggestions
        print(render_answer(answer, color=interactive), file=stdout)
        if suggestions and not answer.answered:
            print("(type /1, /2 ... to ask one)", file=stdout)


def _topics(engines: list, stdout: TextIO) -> None:
    """What each course covers; with several courses, under each course's title (their units may share names)."""
    for engine in engines:
        indent = ""
        if len(engines) > 1:
            print(f"{engine.course.title}:", file=stdout)
            indent = "  "
        for topic in engine.topics():
            print(f"{indent}\u2022 {topic.title} ({topic.fact_count})", file=stdout)
            for example in topic.examples[:2]:
                print(f"{indent}    e.g. {example}", file=stdout)
