"""Matching by meaning: the sentence encoder (bot.core.encoder), the course's vectors and their cache
(bot.core.meaning), and how the engine weighs meaning beside words (bot.core.answering)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.config import bundled_knowledge_path
from bot.core import meaning
from bot.core.answering import Engine
from bot.core.encoder import Encoder, EncoderUnavailable, basic_words, shared_encoder
from bot.core.knowledge import load_course
from bot.core.meaning import Meanings, VectorCache

WALRUS = """\
# Walruses

Walruses live in the Arctic Ocean and the seas around it.

They dive to the sea floor to feed on clams, which they find with their whiskers.

Each tusk can grow to a metre long and is used to haul the animal out onto the ice.

A newborn calf weighs about sixty kilograms and stays with its mother for two years.
"""

TUNING = Path(__file__).resolve().parents[2] / "bench" / "tuning" / "courses"  # the engine's tuning courses


@pytest.fixture(scope="module")
def bundled() -> Engine:
    return Engine(load_course(bundled_knowledge_path()))


def _course(tmp_path: Path, text: str = WALRUS) -> Path:
    folder = tmp_path / "walruses"
    folder.mkdir()
    (folder / "walruses.md").write_text(text, encoding="utf-8")
    return folder


# -- the encoder ------------------------------------------------------------------------------------
def test_tokenizer_gives_the_published_models_word_pieces():
    # reference ids from the model's own tokenizer.json (Hugging Face tokenizers 0.23)
    tok = shared_encoder().tokenizer
    assert tok.ids("wat was the ULTIMATUM??") == [101, 28194, 2001, 1996, 29227, 1029, 1029, 102]
    assert tok.ids("Khrushchev\u2019s caf\u00e9 \u2014 na\u00efve") == [101, 1047, 8093, 20668, 16179, 1521, 1055, 7668, 1517, 15743, 102]
    assert tok.ids("photosynthesis in chloroplasts") == [101, 7760, 6038, 25078, 1999, 10381, 10626, 7361, 8523, 3215, 102]


def test_tokenizer_takes_any_input_and_bounds_its_length():
    tok = shared_encoder().tokenizer
    assert basic_words("\x00\u200b\ud800 \U0001F600 lol") == ["\U0001F600", "lol"]
    assert tok.ids("") == [tok.cls, tok.sep]
    assert len(tok.ids("word " * 10_000)) == 128
    assert tok.ids("x" * 500) == [tok.cls, tok.unk, tok.sep]


def test_vectors_say_which_sentence_means_the_same():
    vecs = shared_encoder().encode(["How many people live in London?", "Around 9 million people live in London",
                                    "London is known for its financial district"])
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    near, far = float(vecs[0] @ vecs[1]), float(vecs[0] @ vecs[2])
    assert near == pytest.approx(0.882, abs=0.01)  # the full-precision model gives 0.882
    assert far < near - 0.3


def test_a_batch_encodes_each_text_as_it_would_alone():
    texts = ["a short one", "a much longer sentence about the walruses of the Arctic Ocean and their tusks", "mid length text"]
    enc = shared_encoder()
    batch = enc.encode(texts)
    for i, text in enumerate(texts):
        assert float(batch[i] @ enc.encode([text])[0]) > 0.9999


def test_missing_model_files_are_reported_as_unavailable(tmp_path):
    with pytest.raises(EncoderUnavailable, match="cannot be read"):
        Encoder(tmp_path)


# -- the engine -------------------------------------------------------------------------------------
def test_question_in_other_words_finds_the_sentence_that_means_it(tmp_path):
    engine = Engine(load_course(_course(tmp_path)))
    answer = engine.ask("which part of the world are walruses from")
    assert answer.answered
    assert "Arctic Ocean" in answer.citations[0].quote
    assert answer.confidence < 0.8  # chosen with meaning's help: never claimed as certain


def test_a_sentence_that_names_its_subject_by_a_pronoun_is_read_with_the_sentence_before(tmp_path):
    # "They dive to the sea floor to feed on clams": "They" are the walruses of the paragraph before
    answer = Engine(load_course(_course(tmp_path))).ask("what do walruses eat")
    assert answer.answered and "clams" in answer.citations[0].quote


def test_without_meaning_the_same_question_is_not_found(tmp_path):
    engine = Engine(load_course(_course(tmp_path)))
    engine.meanings = None  # words only, as on a course too large to encode
    answer = engine.ask("which part of the world are walruses from")
    assert not answer.answered or "Arctic Ocean" not in answer.citations[0].quote


def test_question_about_something_else_is_still_declined(tmp_path):
    engine = Engine(load_course(_course(tmp_path)))
    for question in ("who won the football world cup in 1998", "how do I bake bread", "what is the capital of France"):
        assert not engine.ask(question).answered, question


def test_course_too_large_to_encode_is_matched_by_words(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(meaning, "MAX_TEXTS", 3)
    with caplog.at_level("INFO", logger="bot.core.meaning"):
        engine = Engine(load_course(_course(tmp_path)))
    assert engine.meanings is None
    assert "matched by words only" in caplog.text
    assert "whiskers" in engine.ask("what do walruses find clams with").citations[0].quote


def test_broken_model_install_answers_by_words(tmp_path, monkeypatch):
    def broken() -> Encoder:
        raise EncoderUnavailable("the sentence encoder's files in /nowhere cannot be read")

    monkeypatch.setattr(meaning, "shared_encoder", broken)
    engine = Engine(load_course(_course(tmp_path)))
    assert engine.meanings is None
    assert "whiskers" in engine.ask("what do walruses find clams with").citations[0].quote


# -- the cache --------------------------------------------------------------------------------------
def _docs() -> list[list[str]]:
    return [[line] for line in WALRUS.splitlines() if line and not line.startswith("#")]


def test_cached_vectors_are_used_without_the_encoder(tmp_path, monkeypatch):
    cache = VectorCache(tmp_path / "cache")
    first = Meanings.build("walruses", _docs(), cache)
    assert first is not None and len(list((tmp_path / "cache").iterdir())) == 1

    def no_encoder() -> Encoder:
        raise AssertionError("the encoder was needed although every vector is cached")

    monkeypatch.setattr(meaning, "shared_encoder", no_encoder)
    again = Meanings.build("walruses", _docs(), cache)
    assert again is not None and np.array_equal(first.vectors, again.vectors)


def test_a_restarted_engine_reads_its_sentences_and_words_from_the_cache(tmp_path, monkeypatch):
    course = load_course(_course(tmp_path))
    Engine(course, vectors=VectorCache(tmp_path / "cache"))
    assert len(list((tmp_path / "cache").iterdir())) == 2  # the documents' vectors and the words'

    def no_encoder() -> Encoder:
        raise AssertionError("the encoder was needed although every vector is cached")

    monkeypatch.setattr(meaning, "shared_encoder", no_encoder)
    again = Engine(course, vectors=VectorCache(tmp_path / "cache"))
    assert again.meanings is not None and again.near is not None


def test_an_edited_course_encodes_only_its_new_sentences(tmp_path, monkeypatch):
    cache = VectorCache(tmp_path)
    Meanings.build("walruses", _docs(), cache)
    encoded: list[str] = []
    real = shared_encoder()

    class Counting:
        def encode(self, texts: list[str]) -> np.ndarray:
            encoded.extend(texts)
            return real.encode(texts)

    monkeypatch.setattr(meaning, "shared_encoder", lambda: Counting())
    docs = _docs() + [["Walruses can live for forty years."]]
    Meanings.build("walruses", docs, cache)
    assert encoded == ["Walruses can live for forty years."]


def test_damaged_cache_file_is_encoded_again(tmp_path, caplog):
    cache = VectorCache(tmp_path)
    good = Meanings.build("walruses", _docs(), cache)
    (path,) = tmp_path.iterdir()
    path.write_bytes(b"PK\x03\x04 not really a zip")
    again = Meanings.build("walruses", _docs(), cache)
    assert good is not None and again is not None and np.allclose(good.vectors, again.vectors)
    assert "unreadable" in caplog.text


def test_unwritable_cache_folder_still_answers(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    engine = Engine(load_course(_course(tmp_path)), vectors=VectorCache(blocker / "cache"))
    assert engine.meanings is not None
    assert engine.ask("which part of the world are walruses from").answered


# -- the question as the course reads it --------------------------------------------------------------
def test_the_encoder_reads_course_aliases_typo_fixes_and_synonyms(bundled):
    engine = bundled
    query = engine.index.query("what was the ultamatum rfk gave")
    assert engine.reading.of("what was the ultamatum rfk gave", query.fixed) == \
        "what was the ultimatum rfk (Robert Kennedy, Bobby) gave"
    # "us" is a word; only "US" written in capitals is the country
    assert engine.reading.of("tell us about the US", {}) == "tell us about the US (U.S.A., America)"


def test_a_synonym_the_course_never_uses_is_spelt_out_with_the_one_it_does(tmp_path):
    folder = _course(tmp_path)
    (folder / "course.yaml").write_text(
        "id: walruses\ntitle: Walruses\nsynonyms:\n  - [tusk, fang]\nsources:\n  - id: w\n    file: walruses.md\n",
        encoding="utf-8")
    engine = Engine(load_course(folder))
    assert engine.reading.of("how long is a fang", {}) == "how long is a fang (tusk)"
    assert engine.reading.of("how long is a tusk", {}) == "how long is a tusk"  # the course's own word stays


def test_a_bare_word_is_left_to_the_words(bundled, monkeypatch):
    from bot.core import answering

    engine = bundled
    meanings, default = engine.meanings, engine.ask("ambassador")
    engine.meanings = None
    words_only = engine.ask("ambassador")
    engine.meanings = meanings
    assert default == words_only
    monkeypatch.setattr(answering, "MEANING_MIN_WORDS", 1)  # were meaning to weigh a lone word, it would differ
    assert engine.ask("ambassador").citations != words_only.citations


def test_a_sentence_about_the_course_topic_alone_is_read_for_its_meaning(monkeypatch):
    # in a course on volcanoes, "volcanoes" is in every sentence: the words alone find the question too vague
    from bot.core import answering

    engine = Engine(load_course(TUNING / "volcanoes"))
    answer = engine.ask("where r most volcanoes")
    assert answer.answered and "where tectonic plates meet" in answer.citations[0].quote
    assert answer.confidence < 0.8
    assert engine.ask("volcanoes").reason == "vague"  # a bare word is still left to the words
    monkeypatch.setattr(answering, "MEANING_MIN_SENTENCE", 99)
    assert engine.ask("where r most volcanoes").reason == "vague"


def test_a_word_the_course_never_uses_is_read_as_the_course_word_it_means():
    engine = Engine(load_course(TUNING / "monkeys-paw"))  # the story says "father", never "dad"
    answer = engine.ask("what does herbert tell his dad to wish for")
    assert answer.answered and "tells his father to wish for two hundred pounds" in answer.citations[0].quote
    engine.near = None  # without reading "dad" as "father", the question is not found
    assert not engine.ask("what does herbert tell his dad to wish for").answered


def test_only_words_close_in_meaning_stand_for_a_course_word(tmp_path):
    near = Engine(load_course(_course(tmp_path))).near
    assert near is not None
    assert near("mom") == ["mother"]
    assert near("volcano") == near("homework") == []


def test_a_long_sentence_far_ahead_of_the_rest_in_meaning_answers_what_the_words_declined(monkeypatch):
    # a story's notes: long sentences sharing few words with the question ("cry" / "bursts into tears")
    from bot.core import answering

    engine = Engine(load_course(TUNING / "the-necklace"))
    answer = engine.ask("Why does Mathilde cry when she hears about the party?")
    assert answer.answered and "bursts into tears" in answer.citations[0].quote and answer.confidence <= 0.7
    assert not engine.ask("who wrote the gift of the magi").answered
    monkeypatch.setattr(answering, "MEANING_FAR_LEAD", 99.0)
    assert not engine.ask("Why does Mathilde cry when she hears about the party?").answered


def test_words_agreeing_with_a_sentence_that_means_something_else_are_not_claimed_as_sure(monkeypatch):
    # "what was the third wish": the words meet in Morris's tale of the first owner's third wish, while the
    # sentences about the Whites' own wishes mean the question more
    from bot.core import answering

    engine = Engine(load_course(TUNING / "monkeys-paw"))
    answer = engine.ask("what was the third wish")
    assert answer.answered and answer.confidence < 0.8
    monkeypatch.setattr(answering, "MEANING_DOUBT", 99.0)
    assert engine.ask("what was the third wish").confidence >= 0.8  # the words alone claim it as sure


def test_an_alias_with_no_word_in_it_is_never_spelt_out():
    import dataclasses

    from bot.core.reading import Reading

    course = load_course(bundled_knowledge_path())
    course = dataclasses.replace(course, aliases=(("", "...", "X-ray", "radiograph"),))
    assert Reading(course, set()).of("what is an x-ray", {}) == "what is an x-ray (radiograph)"


def test_texts_encoded_from_many_threads_at_once_get_the_vectors_encoded_one_by_one():
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"{q} number {i}" for i in range(12) for q in (
        "which part of the world are walruses from", "what are walrus tusks for", "how heavy is a newborn calf")]
    with ThreadPoolExecutor(max_workers=8) as pool:  # texts no one encoded before: nothing comes from memory
        together = list(pool.map(shared_encoder().encode_one, texts))
    alone = Encoder()  # a second encoder, with a memory of its own
    for text, vector in zip(texts, together, strict=True):
        assert float(vector @ alone.encode([text])[0]) > 0.9999, text
