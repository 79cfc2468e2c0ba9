"""A sentence encoder: text -> a unit vector whose dot product with another says how close in meaning
two sentences are ("when did it all end" ~ "the crisis was over on 28 October").

Model: all-MiniLM-L6-v2 (sentence-transformers; Microsoft's MiniLM fine-tuned on 1 billion English
sentence pairs: questions and their answers, paraphrases, titles and bodies), Apache-2.0, shipped in
``data/minilm`` with its licence and notice. It holds general knowledge of English, nothing of any course.
The weights are stored as int8 with a scale per row (scripts/build_minilm.py, 23 MB); this module runs the
model's six BERT layers with numpy (no deep-learning framework), mean-pools the last layer over the real
tokens and normalises, as sentence-transformers does. The tokenizer is BERT's uncased WordPiece
(lower case, accents stripped, punctuation split, greedy longest match against ``vocab.txt``).

Cost: see bench/bench_meaning.py (a question's vector in about 10 ms, a course at about 250 texts a second).
"""

from __future__ import annotations

import math
import threading
import unicodedata
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

MODEL_DIR = Path(__file__).resolve().parent / "data" / "minilm"
MODEL_ID = "all-MiniLM-L6-v2/int8-1"  # part of every cache key: a new model or storage means new vectors
DIM = 384
MAX_TOKENS = 128  # word pieces per text, [CLS] and [SEP] included; a course sentence is far shorter
LAYERS, HEADS = 6, 12
MAX_WORD_CHARS = 100  # a longer "word" is [UNK], as in BERT
BATCH = 32
MEMO = 5_000  # texts whose vectors the encoder remembers (7.7 MB)

Vectors = npt.NDArray[np.float32]


class EncoderUnavailable(Exception):
    """The model files are missing or unreadable (a broken install): matching goes on without meaning."""


# -- tokenizer ------------------------------------------------------------------------------------
def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_words(text: str) -> list[str]:
    """BERT's basic tokenizer, uncased: control characters dropped, lower case, accents stripped,
    punctuation and CJK characters split off as words of their own."""
    out: list[str] = []
    buf: list[str] = []
    text = unicodedata.normalize("NFD", text.lower())
    for ch in text:
        cp = ord(ch)
        cat = unicodedata.category(ch)
        if cp == 0 or cp == 0xFFFD or cat == "Mn" or (cat.startswith("C") and ch not in "\t\n\r"):
            continue
        if ch.isspace():
            if buf:
                out.append("".join(buf))
                buf = []
        elif _is_punct(ch) or _is_cjk(cp):
            if buf:
                out.append("".join(buf))
                buf = []
            out.append(ch)
        else:
            buf.append(ch)
    if buf:
        out.append("".join(buf))
    return out


class WordPiece:
    def __init__(self, vocab: dict[str, int]):
        self.vocab = vocab
        self.unk, self.cls, self.sep = vocab["[UNK]"], vocab["[CLS]"], vocab["[SEP]"]
        self._pieces = lru_cache(maxsize=65536)(self._split)  # words repeat across a course and its questions

    def ids(self, text: str) -> list[int]:
        """[CLS] word pieces [SEP], cut to MAX_TOKENS."""
        out = [self.cls]
        for word in basic_words(text):
            out.extend(self._pieces(word))
            if len(out) >= MAX_TOKENS - 1:
                out = out[: MAX_TOKENS - 1]
                break
        out.append(self.sep)
        return out

    def _split(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return (self.unk,)
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            pieces.append(found)
            start = end
        return tuple(pieces)


# -- model ----------------------------------------------------------------------------------------
def _layer_norm(x: Vectors, gain: Vectors, bias: Vectors) -> Vectors:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: Vectors = (x - mean) / np.sqrt(var + 1e-12) * gain + bias
    return out


def _gelu(x: Vectors) -> Vectors:
    """GELU, tanh form (differs from the erf form by under 1e-3; the cosines it changes move by under 1e-4)."""
    out: Vectors = (0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))).astype(np.float32, copy=False)
    return out


def _heads(h: Vectors, n: int, t: int) -> Vectors:
    """(n*t, DIM) -> (n, HEADS, t, DIM/HEADS)."""
    out: Vectors = h.reshape(n, t, HEADS, DIM // HEADS).transpose(0, 2, 1, 3)
    return out


class Encoder:
    """The model, loaded once; ``encode`` may be called from several threads."""

    def __init__(self, folder: Path = MODEL_DIR):
        try:
            with np.load(folder / "weights.npz", allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
            vocab_lines = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError, KeyError) as exc:
            raise EncoderUnavailable(f"the sentence encoder's files in {folder} cannot be read: {exc}") from exc
        self.tokenizer = WordPiece({tok: i for i, tok in enumerate(vocab_lines)})
        self._words_q = arrays.pop("embeddings.word_embeddings.weight.q")
        self._words_s = arrays.pop("embeddings.word_embeddings.weight.s")
        self.w: dict[str, Vectors] = {}
        for name, arr in arrays.items():
            if name.endswith(".q"):
                base = name[:-2]
                self.w[base] = (arr.astype(np.float32) * arrays[base + ".s"][:, None]).T.copy()  # stored (in, out)
            elif not name.endswith(".s"):
                self.w[name] = arr.astype(np.float32)
        self._memo: OrderedDict[str, Vectors] = OrderedDict()
        self._memo_lock = threading.Lock()

    def encode_one(self, text: str) -> Vectors:
        """One text's vector (several courses asked one question encode it once: see ``encode``)."""
        row: Vectors = self.encode([text])[0]
        return row

    def encode(self, texts: list[str]) -> Vectors:
        """One unit row per text (a text with no word encodes [CLS] [SEP] only). The last MEMO texts'
        vectors are remembered: a course reloaded after an edit, or validated then served, is encoded once."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        with self._memo_lock:
            for i, text in enumerate(texts):
                known = self._memo.get(text)
                if known is not None:
                    out[i] = known
                else:
                    todo.setdefault(text, []).append(i)
        if not todo:
            return out
        unique = list(todo)
        ids = [self.tokenizer.ids(t) for t in unique]
        fresh = np.zeros((len(unique), DIM), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # batches of like length pad little
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            fresh[batch] = self._forward([ids[i] for i in batch])
        with self._memo_lock:
            for row, text in enumerate(unique):
                out[todo[text]] = fresh[row]
                self._memo[text] = fresh[row].copy()  # not a view that would keep the whole batch alive
                self._memo.move_to_end(text)
            while len(self._memo) > MEMO:
                self._memo.popitem(last=False)
        return out

    def _forward(self, batch: list[list[int]]) -> Vectors:
        w = self.w
        width = max(len(b) for b in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.float32)
        for row, b in enumerate(batch):
            ids[row, : len(b)] = b
            mask[row, : len(b)] = 1.0
        n, t = ids.shape
        x = (self._words_q[ids].astype(np.float32) * self._words_s[ids][..., None]
             + w["embeddings.position_embeddings.weight"][:t][None]
             + w["embeddings.token_type_embeddings.weight"][0]).reshape(n * t, DIM)  # 2-D: one GEMM per weight
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        dh = DIM // HEADS
        pad = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            q, k, v = (_heads(x @ w[p + f"attention.self.{name}.weight"] + w[p + f"attention.self.{name}.bias"], n, t)
                       for name in ("query", "key", "value"))
            att = q @ k.transpose(0, 1, 3, 2) * (1.0 / math.sqrt(dh)) + pad  # a Python float keeps float32 (NEP 50)
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n * t, DIM)
            ctx = ctx @ w[p + "attention.output.dense.weight"] + w[p + "attention.output.dense.bias"]
            x = _layer_norm(x + ctx, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            hidden = _gelu(x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
            hidden = hidden @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
            x = _layer_norm(x + hidden, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        x = x.reshape(n, t, DIM)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out: Vectors = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return out


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> Encoder:
    """The process's one encoder, loaded on first use (raises EncoderUnavailable on a broken install)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Encoder()
        return _shared
