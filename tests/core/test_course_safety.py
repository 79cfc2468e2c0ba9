"""A course folder is untrusted input: it may only use its own files, and no YAML can make the bot
hang, eat memory or crash. Run through `classbot validate` and `classbot ask` as real processes."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.cli import main
from tests.coursefiles import FACTS, make_course, write

ROOT = Path(__file__).resolve().parents[2]
SECRET = "DISCORD_TOKEN=MTEyMzQ1Njc4OTAxMjM0NTY3OA.secret-token-value"
MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space a validating process may use


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def classbot(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CLASSBOT_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60,
                          cwd=cwd, env=env, preexec_fn=_limit_memory)


def course_with_secret_outside(tmp_path: Path, source_line: str) -> Path:
    (tmp_path / ".env").write_text(SECRET + "\n")
    return make_course(tmp_path, None, course=f"""
        id: moon
        sources:
          - file: sources/moon.txt
          - {source_line}
        """)


def test_source_outside_the_course_folder_is_a_validation_error_and_never_served(tmp_path):
    folder = course_with_secret_outside(tmp_path, "file: ../.env")
    p = classbot("validate", str(folder))
    assert p.returncode == 1
    assert "moon/course.yaml:4:11: source file '../.env' is outside the course folder" in p.stdout
    assert "secret-token-value" not in p.stdout + p.stderr

    asked = classbot("ask", "--knowledge", str(folder), "discord token")
    assert asked.returncode == 78 and "outside the course folder" in asked.stderr  # EXIT_CONFIG
    assert "secret-token-value" not in asked.stdout + asked.stderr


def test_absolute_source_path_is_refused(tmp_path):
    folder = course_with_secret_outside(tmp_path, f"file: {tmp_path / '.env'}")
    p = classbot("validate", str(folder))
    assert p.returncode == 1 and "is outside the course folder" in p.stdout
    assert "secret-token-value" not in p.stdout


def test_linked_source_pointing_outside_is_refused(tmp_path):
    (tmp_path / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\nA secret line sits here.\n")
    folder = make_course(tmp_path, FACTS, course="id: moon\n")  # sources found by looking in the folder
    os.symlink(tmp_path / "passwd.txt", folder / "sources" / "extra.txt")
    p = classbot("validate", str(folder))
    assert p.returncode == 1
    assert "moon/sources/extra.txt: is a link to a file outside the course folder" in p.stdout
    asked = classbot("ask", "--knowledge", str(folder), "what secret line sits here")
    assert asked.returncode == 78 and "root:x:0" not in asked.stdout  # EXIT_CONFIG


def test_linked_fact_file_and_folder_pointing_outside_are_refused(tmp_path):
    folder = make_course(tmp_path, None)
    write(tmp_path, "elsewhere/facts.yaml", FACTS)
    os.symlink(tmp_path / "elsewhere" / "facts.yaml", folder / "facts.yaml")
    os.symlink(tmp_path / "elsewhere", folder / "more")
    p = classbot("validate", str(folder))
    assert p.returncode == 1
    assert "moon/facts.yaml: is a link to a file outside the course folder" in p.stdout
    assert "moon/more: is a link to a folder outside the course folder" in p.stdout


def test_links_that_stay_inside_the_course_folder_are_fine(tmp_path):
    folder = make_course(tmp_path, FACTS)
    os.symlink(folder / "facts", folder / "facts-again")  # a loop back into the course: read once
    p = classbot("validate", str(folder))
    assert p.returncode == 0, p.stdout


def test_alias_bomb_in_a_fact_file_is_refused_at_its_line(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    folder = make_course(tmp_path, FACTS)
    write(folder, "facts/bomb.yaml", "\n".join(lines) + "\nfacts: [*a9]\n")
    p = classbot("validate", str(folder))
    assert p.returncode == 1
    assert "moon/facts/bomb.yaml:1:5: YAML anchors ('&a0') are not allowed here: write the value out in full" in p.stdout


def test_self_referencing_alias_and_deep_nesting_are_validation_errors(tmp_path):
    folder = make_course(tmp_path, FACTS)
    write(folder, "facts/self.yaml", "facts: &x [*x]\n")
    write(folder, "facts/deep.yaml", "facts:\n  - " + "[" * 400 + "]" * 400 + "\n")
    write(folder, "facts/alias.yaml", "facts:\n  - *nothing\n")
    p = classbot("validate", str(folder))
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "moon/facts/self.yaml:1:8: YAML anchors ('&x') are not allowed here" in p.stdout
    assert "moon/facts/deep.yaml:2:" in p.stdout and "nested more than 20 levels deep" in p.stdout
    assert "moon/facts/alias.yaml:2:5: YAML aliases ('*nothing') are not allowed here" in p.stdout


def test_python_tags_are_refused(tmp_path):
    folder = make_course(tmp_path, FACTS)
    write(folder, "facts/evil.yaml", "facts:\n  - id: !!python/object/apply:os.system [echo pwned]\n")
    p = classbot("validate", str(folder))
    assert p.returncode == 1
    assert "moon/facts/evil.yaml:2:9: the YAML tag '!!python/object/apply:os.system' is not allowed here" in p.stdout


def test_unreadable_facts_folder_is_reported_not_skipped(capsys):
    """Run as a user who cannot read the folder (as root, in a child that drops to 'nobody')."""
    base = Path(tempfile.mkdtemp(prefix="classbot-"))
    try:
        base.chmod(0o755)
        folder = make_course(base, FACTS)
        assert main(["validate", str(folder)]) == 0  # readable: fine (and every module the child needs is loaded)
        (folder / "facts").chmod(0o000)
        read, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: become an ordinary user, run the command, report through the pipe
            try:
                os.close(read)
                if os.geteuid() == 0:
                    os.setgid(65534)
                    os.setuid(65534)
                sys.stdout = os.fdopen(write_end, "w")
                code = main(["validate", str(folder)])
                sys.stdout.flush()
            finally:
                os._exit(locals().get("code", 99))
        os.close(write_end)
        with os.fdopen(read) as pipe:
            out = pipe.read()
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 1, out
        assert "moon/facts: cannot be read (Permission denied): the files in it are not loaded" in out
        assert "OK" not in out
    finally:
        (base / "moon" / "facts").chmod(0o755)
        import shutil

        shutil.rmtree(base)


def test_a_nul_in_a_source_file_name_is_a_validation_error_not_a_traceback(tmp_path):
    folder = make_course(tmp_path, None, course='id: moon\nsources:\n  - file: "sources/moon.txt\\0../../x"\n')
    p = classbot("validate", str(folder))
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "moon/course.yaml:3:11: source file name holds a NUL character" in p.stdout


def test_a_linked_quiz_file_pointing_outside_is_refused_and_not_read(tmp_path):
    folder = make_course(tmp_path, FACTS)
    write(tmp_path, "outside/quiz.yaml", """
        quiz:
          title: Secrets
        items:
          - id: leak-1
            question: What is the token?
            answer: secret-token-value
        """)
    (folder / "quiz").mkdir()
    os.symlink(tmp_path / "outside" / "quiz.yaml", folder / "quiz" / "leak.yaml")
    p = classbot("validate", str(folder))
    assert p.returncode == 1
    assert "moon/quiz/leak.yaml: is a link to a file outside the course folder" in p.stdout
    assert "2 trivia items" in p.stdout and "secret-token-value" not in p.stdout  # the two facts' own, not the quiz's
