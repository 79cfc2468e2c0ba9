"""Matching by meaning: how close a question is to each document of a course, by sentence vectors
(bot.core.encoder), to weigh beside the word matcher (bot.core.matching).

A passage is its sentence (one that opens with a pronoun is also read after the sentence before it);
a fact is the closest of its listed questions, its answer and its quote.
A course's vectors are computed once and kept in a ``VectorCache`` folder by text, so a restart or a
one-line edit encodes only what is new (the bundled course: about 1 s the first time, a few ms from the cache).
Courses of more than MAX_TEXTS texts (a few hundred facts and their phrasings are 1,000-2,000) are matched
by words only: encoding is about 300 texts a second on 2 cores, so 100,000 sentences would take minutes
(bench/bench_meaning.py).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.core.encoder import DIM, MODEL_ID, EncoderUnavailable, Vectors, shared_encoder
from bot.core.matching import PassageDoc
from bot.core.models import Fact

log = logging.getLogger(__name__)

MAX_TEXTS = 5_000  # about 16 s to encode the first time on 2 cores; a course of a few hundred facts is far smaller


def too_large(texts: int) -> bool:
    """Whether a course of this many texts (or more) is matched by words only (logged once per course)."""
    if texts > MAX_TEXTS:
        log.info("a course of %d or more texts is matched by words only (meaning is for courses of up to %d)",
                 texts, MAX_TEXTS)
        return True
    return False


def _digest(text: str) -> bytes:
    return hashlib.blake2b(f"{MODEL_ID}\0{text}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


class VectorCache:
    """Sentence vectors on disk, one file per course key, looked up by a hash of each text.
    A folder that cannot be written is only a slower start: vectors are then computed every time."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def vectors(self, key: str, texts: Sequence[str]) -> Vectors:
        digests = [_digest(t) for t in texts]
        known = self._read(key)
        missing = list({d: i for i, d in enumerate(digests) if d not in known}.items())  # each text once
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if missing:
            fresh = shared_encoder().encode([texts[i] for _, i in missing])
            for row, (d, _) in enumerate(missing):
                known[d] = fresh[row]
            self._write(key, {d: known[d] for d in digests})  # only what the course still holds
        for i, d in enumerate(digests):
            out[i] = known[d]
        return out

    def _path(self, key: str) -> Path | None:
        if self.folder is None:
            return None
        name = hashlib.blake2b(f"{MODEL_ID}\0{key}".encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        return self.folder / f"vectors-{name}.npz"

    def _read(self, key: str) -> dict[bytes, npt.NDArray[np.float32]]:
        path = self._path(key)
        if path is None or not path.is_file():
            return {}
        try:
            with np.load(path, allow_pickle=False) as npz:
                keys, vecs = npz["keys"], npz["vectors"]
            if vecs.shape != (len(keys), DIM):
                raise ValueError(f"shape {vecs.shape}")
            return {bytes(k): vecs[i].astype(np.float32) for i, k in enumerate(keys)}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:  # a damaged cache is rebuilt, never trusted
            log.warning("vector cache %s is unreadable (%s); encoding the course again", path, exc)
            return {}

    def _write(self, key: str, vectors: dict[bytes, npt.NDArray[np.float32]]) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vectors-", suffix=".npz")
            try:
                with os.fdopen(fd, "wb") as fh:
                    np.savez(fh, keys=np.array(list(vectors), dtype="S16"),
                             vectors=np.array(list(vectors.values()), dtype=np.float32).reshape(-1, DIM))
                os.replace(tmp, path)  # whole or not at all: a killed write leaves the old file
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.info("vector cache %s not written (%s); the course is encoded again at the next start", path, exc)


def fact_texts(fact: Fact) -> list[str]:
    return list(dict.fromkeys((*fact.questions, fact.answer, fact.citation.quote)))


def passage_texts(doc: PassageDoc) -> list[str]:
    """A sentence; one that names its subject by a pronoun is read after the sentence before it too
    ("Walruses live in the Arctic. They dive to the sea floor to feed on clams": what do walruses eat?)."""
    return [doc.ref.text, f"{doc.before} {doc.ref.text}"] if doc.before else [doc.ref.text]


class Meanings:
    """The sentence vectors of one course's documents, in the order of the word index's documents."""

    def __init__(self, vectors: Vectors, starts: npt.NDArray[np.intp]):
        self.vectors = vectors  # one row per text
        self.starts = starts  # document i owns rows starts[i] .. starts[i+1]-1

    @classmethod
    def build(cls, key: str, docs: Sequence[Sequence[str]], cache: VectorCache) -> Meanings | None:
        """None when the course is too large or the model cannot be read (the matcher then uses words only)."""
        texts = [t for doc in docs for t in doc]
        if not texts or too_large(len(texts)) or any(not doc for doc in docs):
            return None
        try:
            vectors = cache.vectors(key, texts)
        except EncoderUnavailable as exc:
            log.error("%s; answering by words only", exc)
            return None
        starts = np.cumsum([0] + [len(doc) for doc in docs[:-1]]).astype(np.intp)
        return cls(vectors, starts)

    def closeness(self, question: str) -> npt.NDArray[np.float32]:
        """The cosine of the question with each document (for a fact, its closest text), -1..1."""
        q = shared_encoder().encode_one(question)
        sims: npt.NDArray[np.float32] = np.maximum.reduceat(self.vectors @ q, self.starts)
        return sims


# A question word the course never uses stands for a course word this close to it in meaning, each encoded
# alone ("dad" ~ "father" 0.90, "scared" ~ "afraid" 0.84, "hailstones" ~ "hail" 0.75; unrelated words stay
# under 0.45). Measured on bench/tuning with bench/tuning/variants.py (engine round 5): 0.6 let wrong answers in,
# 0.7 and 0.75 found fewer. Co-hyponyms also reach it ("wife" ~ "husband" 0.87), which is why it only ever
# serves a word the course lacks, at the discount of a synonym (bot.core.matching.NEAR_FACTOR).
NEAR = 0.65
NEAR_WORDS = 2  # course words a question word may stand for


class NearWords:
    """The course's words closest in meaning to a word the course does not use (bot.core.matching reads a
    question word it cannot place as them, at a discount)."""

    def __init__(self, words: list[str], vectors: Vectors):
        self.words = words
        self.vectors = vectors

    @classmethod
    def build(cls, key: str, words: Sequence[str], cache: VectorCache) -> NearWords | None:
        """None when there are too many words or the model cannot be read (such words then stay unknown)."""
        vocabulary = sorted(set(words))
        if not vocabulary or too_large(len(vocabulary)):
            return None
        try:
            return cls(vocabulary, cache.vectors(f"{key}\0words", vocabulary))
        except EncoderUnavailable as exc:
            log.error("%s; words the course does not use are not read as its own", exc)
            return None

    def __call__(self, word: str) -> list[str]:
        sims = self.vectors @ shared_encoder().encode_one(word)
        best = np.argsort(-sims)[:NEAR_WORDS]
        return [self.words[i] for i in best if sims[i] >= NEAR]
