"""The `classbot` command. Platform libraries are imported only by the subcommand that needs them."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from bot.core.errors import ClassbotError, InvalidCourse


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="classbot", description="Cited answers and daily trivia from your course notes.")
    p.add_argument("--config", help="YAML settings file (default: $CLASSBOT_CONFIG)")
    common = argparse.ArgumentParser(add_help=False)  # --config also works after the command
    common.add_argument("--config", default=argparse.SUPPRESS, help="YAML settings file (default: $CLASSBOT_CONFIG)")
    sub = p.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, parents=[common])

    def knowledge(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--knowledge", "-k", help="course folder, folder of courses, or a single .txt/.md (default: bundled course)")

    ask = command("ask", "answer one question (or one per line from stdin with --json)")
    ask.add_argument("question", nargs="*", help="the question; with --json and none, read questions from stdin")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per line in batch mode)")
    knowledge(ask)

    chat = command("chat", "chat with the bot in the terminal")
    knowledge(chat)

    val = command("validate", "check a course and show what it covers")
    val.add_argument("path", nargs="?", help="course folder (default: bundled course)")
    val.add_argument("--uncited", action="store_true", help="list every sentence no fact cites")
    knowledge(val)

    ev = command("eval", "score the bot on a question file (question<TAB>gold ids)")
    ev.add_argument("questions", help="TSV: question, then gold fact ids / sentence ids (comma-separated) or NONE")
    ev.add_argument("--sentences", help="YAML of sentence id: \"phrase\" when gold ids name sentences")
    knowledge(ev)

    un = command("unanswered", "questions students asked that the course does not cover yet")
    un.add_argument("--limit", type=int, default=50)
    knowledge(un)

    tr = command("trivia", "play trivia rounds in the terminal (a teacher's preview)")
    tr.add_argument("--rounds", type=int, default=5)
    tr.add_argument("--free-text", action="store_true", help="type answers instead of picking a choice")
    knowledge(tr)

    run = command("run", "run the bot on a platform")
    run.add_argument("platform", nargs="?", choices=["discord", "slack", "console"], help="default: the configured platform")
    knowledge(run)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        from bot.config import load_settings

        settings = load_settings(args.config)
        if getattr(args, "knowledge", None):
            from dataclasses import replace

            settings = replace(settings, knowledge_path=Path(args.knowledge))
        logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
        return _COMMANDS[args.command](args, settings)
    except InvalidCourse as e:
        print(f"classbot: cannot use the course: {e}", file=sys.stderr)
        return 1
    except ClassbotError as e:
        print(f"classbot: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (| head)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _engine(settings):
    from bot.core.answering import load_engine

    return load_engine(settings.knowledge_path)


def cmd_ask(args, settings) -> int:
    engine = _engine(settings)
    if args.question:
        answers = [engine.ask(" ".join(args.question))]
    elif args.json:
        out = sys.stdout
        for line in sys.stdin:
            out.write(json.dumps(engine.ask(line.rstrip("\n")).to_json(), ensure_ascii=False) + "\n")
            out.flush()
        return 0
    else:
        print("classbot ask: give a question, e.g. classbot ask \"Who did Robert Kennedy meet?\"", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answers[0].to_json(), ensure_ascii=False))
    else:
        from bot.adapters.console.render import render_answer

        print(render_answer(answers[0], color=sys.stdout.isatty()))
    return 0


def cmd_chat(args, settings) -> int:
    from bot.adapters.console.app import run_chat

    return run_chat(_engine(settings))


def cmd_validate(args, settings) -> int:
    from bot.core.knowledge import course_folders
    from bot.core.validation import validate

    status = 0
    for folder in course_folders(args.path or args.knowledge or settings.knowledge_path):
        report = validate(folder)
        for problem in [*report.problems, *report.warnings]:
            print(problem)
        if report.course is not None and report.coverage is not None:
            c = report.course
            cov = report.coverage
            print(f"{c.id}: {len(c.sources)} source(s), {len(c.passages)} sentences, {len(c.facts)} facts, "
                  f"{len(c.trivia_items)} trivia items")
            print(f"coverage: {cov.cited}/{cov.total} sentences cited by at least one fact ({cov.share:.0%})")
            shown = cov.uncited if args.uncited else cov.uncited[:10]
            for p in shown:
                print(f"  not cited: {p.location}: {p.text[:100]}")
            if len(cov.uncited) > len(shown):
                print(f"  ... and {len(cov.uncited) - len(shown)} more (--uncited lists them all)")
        if report.problems:
            print(f"{len(report.problems)} problem(s) found in {folder}", file=sys.stderr)
            status = 1
        else:
            print("OK: the course is valid" + (f" ({len(report.warnings)} warning(s) above)" if report.warnings else ""))
    return status


def cmd_eval(args, settings) -> int:
    from bot.core.evaluation import run_eval

    return run_eval(_engine(settings), Path(args.questions), Path(args.sentences) if args.sentences else None)


def cmd_unanswered(args, settings) -> int:
    import asyncio
    from datetime import UTC, datetime

    from bot.core.knowledge import course_folders, read_course
    from bot.store import open_store

    if not Path(settings.database_path).exists():
        print(f"No database at {settings.database_path} yet. Questions are recorded by the Discord and Slack bots "
              "(`classbot run ...`), not by `ask` or `chat`; point CLASSBOT_DATABASE at the bot's database.")
        return 0
    course_ids = [d.course.id for f in course_folders(settings.knowledge_path) if (d := read_course(f)).course]

    async def show() -> None:
        async with open_store(settings.database_path) as store:
            for course_id in course_ids:
                rows = await store.list_unanswered(course_id, args.limit)
                print(f"{course_id}: {len(rows)} question(s) the course could not answer, most asked first")
                for row in rows:
                    last = datetime.fromtimestamp(row.last_asked, UTC).strftime("%Y-%m-%d")
                    print(f"  {row.count:>3}x  {row.question}  (last {last})")

    asyncio.run(show())
    return 0


def cmd_trivia(args, settings) -> int:
    from bot.adapters.console.trivia import run_trivia
    from bot.core.knowledge import load_course

    return run_trivia(load_course(settings.knowledge_path), settings, rounds=args.rounds, free_text=args.free_text)


def cmd_run(args, settings) -> int:
    platform = args.platform or settings.platform
    if platform == "discord":
        from bot.adapters.discord.app import run
    elif platform == "slack":
        from bot.adapters.slack.app import run
    else:
        return cmd_chat(args, settings)
    return run(settings)


_COMMANDS = {"ask": cmd_ask, "chat": cmd_chat, "validate": cmd_validate, "eval": cmd_eval, "unanswered": cmd_unanswered, "trivia": cmd_trivia, "run": cmd_run}

if __name__ == "__main__":
    sys.exit(main())
