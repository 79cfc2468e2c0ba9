"""The `classbot` command. Platform libraries are imported only by the subcommand that needs them."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.core.errors import EXIT_CONFIG, ClassbotError, InvalidCourse, exit_code
from bot.core.safetext import clean_text
from bot.ops.logsetup import setup_logging

# Exit statuses: 0 ok; 1 a failure while running (or `validate`/`eval` found problems); 2 a mistyped
# command line (argparse); 78 a configuration error (bot.core.errors.EXIT_CONFIG); 130 Ctrl-C.


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("classbot")
    except PackageNotFoundError:  # run from a source checkout: the version pyproject.toml declares
        import tomllib

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"should be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"should be 1 or more, got {value}")
    return value


def _score(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"should be a score between 0 and 1 (or a percentage), got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"should be a score between 0 and 1 (or a percentage), got {text!r}")
    return value


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"should be a date like 2026-03-09, got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="classbot", description="Cited answers and daily trivia from your course notes.",
                                epilog="Exit status: 0 ok, 1 failure (or problems found), 2 bad command line, "
                                "78 configuration error (a setting, token or course to fix).")
    p.add_argument("--version", action="version", version=f"classbot {_version()}")
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
    ev.add_argument("--min", type=_score, metavar="SCORE",
                    help="exit with status 1 when the overall score is below SCORE (0-1, or a percentage like 90%%)")
    knowledge(ev)

    un = command("unanswered", "questions students asked that the course does not cover yet")
    un.add_argument("--limit", type=_at_least_one, default=50, help="show at most this many (default 50)")
    knowledge(un)

    rep = command("report", "this week's questions, answers voted not helpful and trivia results, with a chart")
    rep.add_argument("--guild", metavar="ID", help="one server's (or Slack workspace's) report (default: every server)")
    rep.add_argument("--platform", choices=["discord", "slack"], help="only this platform's servers (default: both)")
    rep.add_argument("--weeks", type=_at_least_one, default=6, help="weeks of history in the per-week figures (default 6)")
    rep.add_argument("--week", type=_day, metavar="DAY",
                     help="the report of the week holding DAY (YYYY-MM-DD; default: this week)")
    rep.add_argument("--png", metavar="FILE", help="also write the chart (participation and accuracy per unit) here")
    rep.add_argument("--json", action="store_true", help="print the report as JSON (a list when there are several courses)")
    knowledge(rep)

    tr = command("trivia", "play trivia rounds in the terminal (a teacher's preview)")
    tr.add_argument("--rounds", type=_at_least_one, default=5, help="how many rounds to play (1 or more, default 5)")
    tr.add_argument("--free-text", action="store_true", help="type answers instead of picking a choice")
    knowledge(tr)

    new = command("new", "start a course from your notes: drafted facts, quotes and trivia to review")
    new.add_argument("folder", help="the new course folder (must not exist, or be empty)")
    new.add_argument("--from", dest="notes", required=True, help="your notes: a .txt or .md file")
    new.add_argument("--title", help="the course title (default: the notes' first line)")

    imp = command("import", "import a quiz (Red-DiscordBot trivia list, Quizlet/Anki CSV or TSV) into a course")
    imp.add_argument("file", help="the quiz file: .yaml (Red trivia list), .csv, .tsv or .txt (Quizlet/Anki export)")
    imp.add_argument("--into", required=True, help="the course folder")
    imp.add_argument("--name", help="the quiz's name in the course (default: the file's name)")
    imp.add_argument("--replace", action="store_true", help="replace a quiz of the same name")

    rv = command("review", "review students' unanswered questions and 'not helpful' votes, and improve the course")
    rv.add_argument("--json", action="store_true", help="print the queue as JSON for scripts (changes nothing)")
    rv.add_argument("--limit", type=_at_least_one, help="at most this many items per course")
    act = rv.add_mutually_exclusive_group()
    act.add_argument("--add-phrasing", nargs=2, metavar=("ITEM", "FACT_ID"),
                     help="add item ITEM (its number or key in --json) as a phrasing of fact FACT_ID")
    act.add_argument("--draft", nargs=2, metavar=("ITEM", "SENTENCE_ID"),
                     help="draft a new fact for item ITEM quoting sentence SENTENCE_ID (a passage id in --json)")
    act.add_argument("--dismiss", metavar="ITEM", help="dismiss item ITEM: it will not come back")
    rv.add_argument("--text", help="with --add-phrasing/--draft: the question to write (default: the student's)")
    rv.add_argument("--answer", help="with --draft: the answer (default: the quoted sentence)")
    knowledge(rv)

    def student(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("user_id", help="the student's user id (Discord: a number; Slack: U...)")
        sp.add_argument("--platform", choices=["discord", "slack"], help="default: both")
        sp.add_argument("--guild", help="only this server (Discord guild id / Slack team id); default: every server")

    exp = command("export-user", "print as JSON everything the database holds about one student")
    student(exp)

    fg = command("forget-user", "delete everything the database holds about one student")
    student(fg)
    fg.add_argument("--yes", action="store_true", help="really delete (without it: show what would be deleted)")

    run = command("run", "run the bot on a platform")
    run.add_argument("platform", nargs="?", choices=["discord", "slack", "console"], help="default: the configured platform")
    knowledge(run)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # never a traceback for a character the terminal cannot show
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    try:
        from bot.config import load_settings

        settings = load_settings(args.config)
        if getattr(args, "knowledge", None):
            from dataclasses import replace

            settings = replace(settings, knowledge_path=Path(args.knowledge))
        # no token or ticket in the log, at any level; text or JSON lines. Only the running bot logs at INFO
        # unless CLASSBOT_LOG_LEVEL says otherwise: a terminal command shows its own output, and warnings.
        setup_logging(settings, default_level="INFO" if args.command == "run" else "WARNING")
        return _COMMANDS[args.command](args, settings)
    except InvalidCourse as e:
        print(f"classbot: cannot use the course: {e}", file=sys.stderr)
        return EXIT_CONFIG
    except ClassbotError as e:
        print(f"classbot: {e}", file=sys.stderr)
        return exit_code(e)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (| head)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _engine(settings):
    """The engine the commands answer with: the configured default course of several (as the running bot
    uses where no course is bound), else every course together."""
    if settings.default_course:
        from bot.core.courses import CourseLibrary

        return CourseLibrary.load(settings.knowledge_path, settings.default_course, _vectors(settings)).default_engine()
    from bot.core.answering import load_engine

    return load_engine(settings.knowledge_path, _vectors(settings))


def _vectors(settings):
    from bot.core.meaning import VectorCache

    return VectorCache(settings.cache_dir)


def json_line(data: object) -> str:
    """One line of JSON that any reader takes whole: ASCII only (valid in every encoding), so
    U+2028, U+2029 and U+0085, which some readers split lines at, are escaped too."""
    return json.dumps(data, ensure_ascii=True)


def cmd_ask(args, settings) -> int:
    engine = _engine(settings)
    if args.question:
        answers = [engine.ask(clean_text(" ".join(args.question)))]
    elif args.json:
        out = sys.stdout
        # bytes, not the locale's text: input that is not UTF-8 becomes U+FFFD instead of a traceback
        for raw in sys.stdin.buffer:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            out.write(json_line(engine.ask(clean_text(line)).to_json()) + "\n")
            out.flush()
        return 0
    else:
        print("classbot ask: give a question, e.g. classbot ask \"Who did Robert Kennedy meet?\"", file=sys.stderr)
        return 2
    if args.json:
        print(json_line(answers[0].to_json()))
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
        report = validate(folder, vectors=_vectors(settings))
        for problem in [*report.problems, *report.warnings]:
            print(problem)
        if report.course is not None and report.coverage is not None:
            c = report.course
            cov = report.coverage
            print(f"{c.id}: {len(c.sources)} source(s), {len(c.passages)} sentences, {len(c.facts)} facts, "
                  f"{len(c.trivia_items)} trivia items")
            print(f"coverage: {cov.cited}/{cov.total} sentences cited by at least one fact ({cov.share:.0%})")
            if c.quiz:
                print(f"quiz: {len(c.quiz)} imported quiz item(s) (trivia with no quote from the text)")
            drafts = sum(1 for f in c.facts if f.draft)
            if drafts:
                print(f"drafts: {drafts} of {len(c.facts)} facts are still drafts (draft: true): check each, then remove the mark")
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

    return run_eval(_engine(settings), Path(args.questions), Path(args.sentences) if args.sentences else None,
                    min_score=args.min)


def _database_missing(settings) -> bool:
    """Whether the SQLite file the commands would read is not there (a PostgreSQL URL is never missing
    here: open_store says plainly when its server cannot be reached)."""
    return not settings.database_url and not Path(settings.database_path).exists()


def cmd_unanswered(args, settings) -> int:
    import asyncio
    from datetime import UTC, datetime

    from bot.core.knowledge import course_folders, read_course
    from bot.store import open_store

    if _database_missing(settings):
        print(f"No database at {settings.database_path} yet. Questions are recorded by the Discord and Slack bots "
              "(`classbot run ...`), not by `ask` or `chat`; point CLASSBOT_DATABASE at the bot's database.")
        return 0
    course_ids = [d.course.id for f in course_folders(settings.knowledge_path) if (d := read_course(f)).course]

    async def show() -> None:
        async with open_store(settings.database) as store:
            for course_id in course_ids:
                rows = await store.list_unanswered(course_id, args.limit)
                total = await store.count_unanswered(course_id)
                shown = f"showing {len(rows)} of {total}" if len(rows) < total else f"{total}"
                print(f"{course_id}: {shown} question(s) the course could not answer, most asked first")
                for row in rows:
                    last = datetime.fromtimestamp(row.last_asked, UTC).strftime("%Y-%m-%d")
                    # cleaned again on the way out: a database from an older classbot may hold raw text
                    print(f"  {row.count:>3}x  {clean_text(row.question)}  (last {last})")
                if len(rows) < total:
                    print(f"  ... {total - len(rows)} more (--limit {total} lists them all)")

    asyncio.run(show())
    return 0


def cmd_review(args, settings) -> int:
    from bot.adapters.console.review import run_review

    if _database_missing(settings):  # nothing recorded yet: an empty queue, as a script expects
        note = (f"No database at {settings.database_path} yet, so nothing to review: questions are recorded by the "
                "running bot (`classbot run ...`). Point CLASSBOT_DATABASE at the bot's database.")
        if args.json:
            print("[]")
            print(note, file=sys.stderr)
            return 0
        if args.dismiss or args.add_phrasing or args.draft:
            print(f"classbot review: {note}", file=sys.stderr)
            return 1
        print(f"The review queue is empty. {note}")
        return 0
    return run_review(settings.knowledge_path, settings.database, args)


def _count(n: int, noun: str) -> str:
    """``1 vote``, ``2 votes``: the nouns counted here all take an s."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _student_data(args, settings, forget: bool) -> int:
    import asyncio

    from bot.core.privacy import PLATFORMS, export_user, forget_user
    from bot.store import open_store

    if _database_missing(settings):
        print(f"No database at {settings.database_path}: nothing is stored about anyone there. "
              "Point CLASSBOT_DATABASE at the bot's database.", file=sys.stderr)
        return 1
    platforms = [args.platform] if args.platform else list(PLATFORMS)

    async def go() -> int:
        async with open_store(settings.database) as store:
            found = [await export_user(store, p, args.user_id, args.guild) for p in platforms]
            if not forget:
                print(json.dumps({"user_id": found[0].user_id, "data": [d.to_json() for d in found]},
                                 ensure_ascii=False, indent=2))
                return 0
            held = [d for d in found if not d.empty]
            if not held:
                print("Nothing is stored about this user id.")
                return 0
            for d in held:
                print(f"{d.platform}: {_count(len(d.feedback), 'vote')}, {_count(len(d.answers), 'trivia answer')}, "
                      f"{_count(len(d.scores), 'score row')}, {_count(len(d.questions), 'recorded question')}")
            if not args.yes:
                print("Nothing deleted: run again with --yes to delete all of it.", file=sys.stderr)
                return 1
            total = 0
            for d in held:
                total += (await forget_user(store, d.platform, d.user_id, args.guild)).total
            print(f"Deleted {_count(total, 'row')} about this user id.")
            return 0

    return asyncio.run(go())


def cmd_export_user(args, settings) -> int:
    return _student_data(args, settings, forget=False)


def cmd_forget_user(args, settings) -> int:
    return _student_data(args, settings, forget=True)
def cmd_report(args, settings) -> int:
    import asyncio
    from datetime import UTC, datetime

    from bot.core.errors import ConfigError
    from bot.core.knowledge import load_courses
    from bot.core.reports import MAX_WEEKS, build_report
    from bot.store import open_store

    if args.weeks > MAX_WEEKS:
        print(f"classbot report: --weeks should be at most {MAX_WEEKS}", file=sys.stderr)
        return 2
    png = Path(args.png) if args.png else None
    if png is not None and not png.resolve().parent.is_dir():
        raise ConfigError(f"cannot write the chart: folder {png.parent} does not exist")
    if _database_missing(settings):  # nothing recorded yet: nothing to report, which is not a failure
        note = (f"Nothing to report yet: no database at {settings.database_path}. Reports read what the Discord and "
                "Slack bots record (`classbot run ...`); point CLASSBOT_DATABASE at the bot's database.")
        if args.json:
            print("[]")
        print(note, file=sys.stderr if args.json else sys.stdout)
        return 0
    courses = load_courses(settings.knowledge_path)

    async def build() -> list:
        async with open_store(settings.database) as store:
            now = datetime.now(UTC)
            return [await build_report(store, c, args.guild, now, args.weeks, platform=args.platform, week_of=args.week)
                    for c in courses]

    reports = asyncio.run(build())
    if png is not None:
        from bot.charts import report_chart

        for i, report in enumerate(reports):  # one chart per course: FILE, then FILE-<course>.png for the others
            target = png if i == 0 else png.with_name(f"{png.stem}-{report.course_id}{png.suffix or '.png'}")
            try:
                target.write_bytes(report_chart(report))
            except OSError as e:
                print(f"classbot report: cannot write the chart to {target}: {e.strerror or e}", file=sys.stderr)
                return 1
            if not args.json:
                print(f"chart written to {target}", file=sys.stderr)
    if args.json:
        data = [r.to_json() for r in reports]
        print(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=True, indent=2))
    else:
        from bot.adapters.console.report import render_report

        print("\n\n".join(render_report(r) for r in reports))
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


def cmd_new(args, settings) -> int:
    from bot.core.drafting import new_course

    result = new_course(Path(args.notes), Path(args.folder), title=args.title)
    notes = Path(args.notes).name
    if not result.facts:
        print(f"Wrote {result.folder}, but no fact could be drafted from the {_count(result.sentences, 'sentence')} of "
              f"{notes}: a fact is drafted from a sentence that states a date, a number, a name or a cause, and none "
              "does. The bot still answers from the text; add facts by hand in facts/ "
              f"(see docs/knowledge-format.md). Next: classbot validate {result.folder}")
        return 0
    print(f"Wrote {result.folder}: {_count(len(result.facts), 'drafted fact')} ({result.trivia} with trivia) "
          f"from {_count(result.sentences, 'sentence')} of {notes}.")
    print(f"Every fact is marked `draft: true`: check its questions and answer, then remove the mark. "
          f"Next: classbot validate {result.folder}")
    return 0


def cmd_import(args, settings) -> int:
    from bot.core.quizimport import import_quiz

    result = import_quiz(Path(args.file), Path(args.into), replace=args.replace, name=args.name)
    kind = {"red": "Red-DiscordBot trivia list", "csv": "CSV", "tsv": "TSV"}[result.quiz.format]
    by = f" by {result.quiz.author}" if result.quiz.author else ""
    print(f"Imported {len(result.items)} question(s) from {result.quiz.origin} ({kind}{by}) into {result.path}")
    for note in result.quiz.notes:
        print(f"  note: {note}")
    return 0


_COMMANDS = {
    "ask": cmd_ask, "chat": cmd_chat, "validate": cmd_validate, "eval": cmd_eval, "unanswered": cmd_unanswered,
    "trivia": cmd_trivia, "run": cmd_run, "new": cmd_new, "import": cmd_import, "review": cmd_review,
    "export-user": cmd_export_user, "forget-user": cmd_forget_user, "report": cmd_report,
}

if __name__ == "__main__":
    sys.exit(main())
