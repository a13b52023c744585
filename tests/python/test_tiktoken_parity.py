"""Token-id parity between iron-core's tokenizer and Python tiktoken.

How the reference is built without internet access: the Rust side dumps its
vocabulary as a tiktoken rank file (`count_tokens --dump-ranks`); we feed it to
tiktoken's OWN `tiktoken_ext.openai_public` constructors (official pat_str and
special tokens, nothing retyped) by intercepting their `load_tiktoken_bpe`
call, and assert the file's SHA-256 equals the `expected_hash` tiktoken pins
for the official download. So the vocabulary is proven identical to OpenAI's,
and the corpus comparison tests the pretokenizer and the BPE algorithm.

The corpus (>= 500 texts per encoding, fixed seed) covers prose, contractions,
accents and combining marks, many scripts, CJK, code, emoji (ZWJ, skin tones,
flags, keycaps), whitespace runs, digits, mixed newlines, very long words,
special-token text, control characters, random valid UTF-8 and dense mixes of
characters where the split rules are subtle (titlecase, modifier letters,
marks, long s, non-ASCII digits and spaces). For every
text the token ids must be equal to `Encoding.encode_ordinary` (which is
`encode(text, disallowed_special=())`), and the count must equal their number.

Also checks prompt counting against the cookbook's `num_tokens_from_messages`
computed here with tiktoken.

Run: .venv/bin/python -m pytest tests/python/test_tiktoken_parity.py
(honours CARGO_TARGET_DIR; builds the `count_tokens` example with cargo).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
from pathlib import Path

import pytest
import tiktoken
import tiktoken_ext.openai_public as openai_public

REPO = Path(__file__).resolve().parents[2]
ENCODINGS = ("cl100k_base", "o200k_base")
SEED = 20251201


# ---------------------------------------------------------------- Rust side


@pytest.fixture(scope="module")
def count_tokens_exe() -> Path:
    """Builds the example and returns its path; fails loudly if it does not build."""
    proc = subprocess.run(
        ["cargo", "build", "-q", "-p", "iron-core", "--example", "count_tokens",
         "--message-format=json-render-diagnostics"],
        cwd=REPO, capture_output=True, text=True, env=os.environ.copy(),
    )
    if proc.returncode != 0:
        pytest.fail(f"building the count_tokens example failed:\n{proc.stderr}", pytrace=False)
    for line in proc.stdout.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "count_tokens":
            if msg.get("executable"):
                return Path(msg["executable"])
    pytest.fail("cargo built no count_tokens executable", pytrace=False)


def rust_answers(exe: Path, requests: list[dict]) -> list[dict]:
    stdin = "".join(json.dumps(r) + "\n" for r in requests)
    proc = subprocess.run([str(exe)], input=stdin, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"count_tokens failed:\n{proc.stderr}", pytrace=False)
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(answers) == len(requests)
    return answers


# ---------------------------------------------------------------- reference


@pytest.fixture(scope="module")
def reference(count_tokens_exe: Path, tmp_path_factory) -> dict[str, tiktoken.Encoding]:
    """tiktoken encodings built by tiktoken's own constructors from the Rust ranks."""
    out_dir = tmp_path_factory.mktemp("ranks")
    encodings = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIKTOKEN_CACHE_DIR", "")  # read the local file, no cache copy
        original = openai_public.load_tiktoken_bpe
        for name in ENCODINGS:
            path = out_dir / f"{name}.tiktoken"
            subprocess.run([str(count_tokens_exe), "--dump-ranks", name, str(path)], check=True)
            seen: dict[str, str | None] = {}

            def local_load(url: str, expected_hash: str | None = None, _path: Path = path, _seen=seen):
                _seen["url"], _seen["expected_hash"] = url, expected_hash
                return original(str(_path))

            mp.setattr(openai_public, "load_tiktoken_bpe", local_load)
            params = openai_public.ENCODING_CONSTRUCTORS[name]()
            expected = seen.get("expected_hash")
            assert expected, f"tiktoken pins no hash for {name}"
            actual = hashlib.sha256(path.read_bytes()).hexdigest()
            assert actual == expected, (
                f"{name}: Rust vocabulary differs from the official {seen['url']} "
                f"(sha256 {actual}, expected {expected})"
            )
            encodings[name] = tiktoken.Encoding(**params)
    return encodings


def test_rank_files_match_official_hashes(reference):
    # The assertions live in the fixture; here only that both were built.
    assert set(reference) == set(ENCODINGS)
    assert reference["cl100k_base"].n_vocab == 100277
    assert reference["o200k_base"].n_vocab == 200019


# ---------------------------------------------------------------- corpus

WORDS = (
    "the of and to in is you that it he was for on are as with his they at be this have from "
    "or one had by word but not what all were we when your can said there use an each which she "
    "do how their if will up other about out many then them these so some her would make like "
    "him into time has look two more write go see number no way could people my than first water "
    "been call who oil its now find long down day did get come made may part tokenizer budget "
    "gateway lease provider invoice résumé naïve café façade coöperate Zürich São Paulo"
).split()
CONTRACTIONS = ["don't", "I'll", "it's", "we've", "they're", "I'm", "he'd", "IT'S", "DON'T",
                "John's", "O'Neil", "rock'n'roll", "y'all'd've", "it’s", "'s", "'S", "''"]
SCRIPTS = {
    "greek": "αβγδεζηθικλμνξοπρστυφχψω ΑΒΓΔΕΖΗΘ ελληνικά",
    "cyrillic": "Съешь же ещё этих мягких французских булок да выпей чаю",
    "arabic": "نص حكيم له سر قاطع وذو شأن عظيم مكتوب على ثوب أخضر ١٢٣",
    "hebrew": "דג סקרן שט בים מאוכזב ולפתע מצא חברה",
    "devanagari": "ऋषियों को सताने वाले दुष्ट राक्षसों के राजा रावण का सर्वनाश",
    "thai": "เป็นมนุษย์สุดประเสริฐเลิศคุณค่า กว่าบรรดาฝูงสัตว์เดรัจฉาน",
    "chinese": "我能吞下玻璃而不伤身体。敏捷的棕色狐狸跳过了懒狗，中文分词测试",
    "japanese": "いろはにほへと ちりぬるを カタカナ 漢字かな交じり文　全角スペース",
    "korean": "다람쥐 헌 쳇바퀴에 타고파 키스의 고유조건은 입술끼리 만나야",
    "combining": "e\u0301 a\u0308 n\u0303 Z\u0335\u0321a\u0336l\u0337g\u0338o\u0334 \u1e9b\u0323",
    "math": "∀x∈ℝ: x² ≥ 0 ∑ᵢ aᵢ ≈ ∫₀^∞ e^{-t} dt ≠ ∞ √2 ≤ π",
}
EMOJI = ["😀", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "🇯🇵", "🇺🇸", "1️⃣", "❤️", "🧑🏿‍🚀",
         "🤦‍♀️", "🫠", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "☕", "🦀", "🐍", "✅", "©️", "👁️‍🗨️"]
CODE = [
    'fn main() {\n    let v: Vec<u32> = (0..10).map(|x| x * 2).collect();\n    println!("{v:?}");\n}\n',
    "def fib(n: int) -> int:\n\tif n < 2:\n\t\treturn n\n\treturn fib(n - 1) + fib(n - 2)\n",
    "const add = (a, b) => a + b;\nexport default async function main() { await fetch('/api/v1'); }\n",
    "#include <stdio.h>\nint main(void) {\n  printf(\"%d\\n\", 42);\n  return 0;\n}\n",
    "SELECT id, name FROM users WHERE created_at >= '2025-01-01' AND status <> 'deleted';\n",
    "#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.txt; do wc -l \"$f\"; done 2>/dev/null\n",
    '{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 256}',
    "<!DOCTYPE html>\n<html><body><div class=\"a\">&amp; &lt;tag&gt;</div></body></html>\n",
    "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello, 世界\")\n}\n",
    "    if (x != null && y >= 0) { return x?.value ?? y; } // comment\r\n",
]
SPECIAL = ["<|endoftext|>", "<|fim_prefix|>", "<|endofprompt|>", "<|im_start|>", "<|reserved_200011|>"]
WHITESPACE = [" ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u3000", "\u2028", "\u0085", "\x0b", "\x0c"]
# Characters where the split rules are subtle: contractions (incl. the long s
# that Unicode case folding matches), titlecase (Lt), modifier letters (Lm),
# marks (M, in both of o200k's letter classes), non-ASCII digits and spaces.
TRICKY = ["'s", "'S", "'\u017f", "'ll", "'LL", "'re", "'Ve", "'", " ", "  ", "\t", "\n", "\r\n", "\u00a0",
          "\u3000", "a", "A", "\u00e9", "\u00c9", "e\u0301", "\u0301", "\u01c5", "\u02b0", "\u65e5", "1",
          "\u0661", "\u00b2", "!", "/", "//", " /", "\u2014", "\U0001f600", "x", "XML", "Http", "abc", "ABC",
          "\u2028", "\x0b", "\x1c", "\u00df", "\ufb01", "\u2163", "\u1f88", "'s'", "''s"]


def random_words(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        w = rng.choice(WORDS) if rng.random() > 0.1 else rng.choice(CONTRACTIONS)
        r = rng.random()
        if r < 0.1:
            w = w.capitalize()
        elif r < 0.13:
            w = w.upper()
        out.append(w)
        if rng.random() < 0.12:
            out.append(rng.choice([".", ",", "!", "?", ";", ":", " -", "...", "—", "\n"]))
    return " ".join(out)


def random_utf8(rng: random.Random, n: int) -> str:
    chars = []
    while len(chars) < n:
        r = rng.random()
        if r < 0.3:
            cp = rng.randrange(0x20, 0x7F)
        elif r < 0.6:
            cp = rng.randrange(0x80, 0x3000)
        elif r < 0.8:
            cp = rng.randrange(0x3000, 0x10000)
        else:
            cp = rng.randrange(0x10000, 0x110000)
        if 0xD800 <= cp <= 0xDFFF:  # surrogates are not valid in UTF-8
            continue
        chars.append(chr(cp))
    return "".join(chars)


def gen_corpus() -> list[str]:
    rng = random.Random(SEED)
    texts: list[str] = [
        "", " ", "\n", "  \n  ", "\t\t", "hello world", "Hello, World!", "a", "  leading", "trailing  ",
        "trailing newline\n", "x \n", "a  b", "a   b\n\nc", "   \t\n\r\n  x", " \u00a0 x", "1234567890",
        "3.14159265358979", "1,234,567.89", "+1 (555) 010-9999", "2025-12-01T10:00:00Z", "v1.2.3-beta+7",
        "CamelCaseIdentifierLikeThis", "XMLHttpRequest", "iPhone", "HTTPSConnection", "snake_case_name",
        "don't DON'T Don'T", "it’s ‘quoted’ “double”", "a/b/c//d", "path/to/file.rs:12:5",
        "\x00\x01\x1b[31mred\x1b[0m\x7f", "tab\tseparated\tvalues\n1\t2\t3",
        "a" * 5000, "ab" * 3000, " " * 1000, "\n" * 500, " \n" * 300, "\t" * 400 + "x",
        "9" * 1001, "€" * 700, "👍" * 300, "👨‍👩‍👧‍👦" * 50, "🇫🇷🇩🇪🇯🇵🇺🇸" * 20,
        "supercalifragilisticexpialidocious" * 60, "x" + " " * 50 + "y" + "\t" * 50 + "z",
        "line1\r\nline2\rline3\nline4\u2028line5\u0085line6", "<|endoftext|>hello<|endoftext|>",
    ]
    texts += SPECIAL + list(SCRIPTS.values()) + EMOJI + CODE
    generators = [
        lambda: random_words(rng, rng.randrange(1, 300)),
        lambda: " ".join(rng.choice(list(SCRIPTS.values())) for _ in range(rng.randrange(1, 6))),
        lambda: "".join(rng.choice(EMOJI) + rng.choice(["", " ", "\n", "a"]) for _ in range(rng.randrange(1, 60))),
        lambda: "".join(rng.choice(CODE) for _ in range(rng.randrange(1, 5))).replace(
            "    ", rng.choice(["    ", "\t", "  ", "        "])),
        lambda: "".join(rng.choice(WHITESPACE) * rng.randrange(1, 40) + rng.choice(["", "x", "Word", "1", "!"])
                        for _ in range(rng.randrange(1, 30))),
        lambda: " ".join(str(rng.randrange(0, 10 ** rng.randrange(1, 25))) for _ in range(rng.randrange(1, 50))),
        lambda: rng.choice(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"]).join(
            random_words(rng, rng.randrange(1, 20)) for _ in range(rng.randrange(2, 15))),
        lambda: "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789+/=_-")
                        for _ in range(rng.randrange(200, 6000))),
        lambda: random_utf8(rng, rng.randrange(1, 400)),
        lambda: "".join(rng.choice([random_words(rng, 5), rng.choice(EMOJI), rng.choice(CODE),
                                    rng.choice(list(SCRIPTS.values())), rng.choice(SPECIAL),
                                    rng.choice(WHITESPACE) * rng.randrange(1, 10), random_utf8(rng, 10)])
                        for _ in range(rng.randrange(2, 25))),
        lambda: "".join(chr(rng.randrange(0, 0x80)) for _ in range(rng.randrange(1, 500))),
        lambda: "".join(rng.choice(TRICKY) for _ in range(rng.randrange(1, 25))),
        lambda: "".join(rng.choice(TRICKY) for _ in range(rng.randrange(1, 25))),
    ]
    for _ in range(55):
        for gen in generators:
            texts.append(gen())
    return texts


def test_corpus_is_large_and_deterministic():
    corpus = gen_corpus()
    assert len(corpus) >= 500
    assert corpus == gen_corpus()
    assert sum(len(t) for t in corpus) > 300_000


# ---------------------------------------------------------------- parity


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_token_ids_match_tiktoken(encoding, count_tokens_exe, reference):
    corpus = gen_corpus()
    answers = rust_answers(count_tokens_exe, [{"encoding": encoding, "text": t} for t in corpus])
    enc = reference[encoding]
    mismatches = []
    for text, answer in zip(corpus, answers):
        want = enc.encode_ordinary(text)
        assert answer["count"] == len(answer["tokens"]), f"count != len(encode) for {text[:80]!r}"
        if answer["tokens"] != want:
            mismatches.append((text, answer["tokens"], want))
    assert not mismatches, f"{len(mismatches)} of {len(corpus)} texts differ; first: " + "; ".join(
        f"{t[:60]!r}: ours {o[:12]} tiktoken {w[:12]}" for t, o, w in mismatches[:3]
    )


def cookbook_num_tokens(enc: tiktoken.Encoding, messages: list[dict]) -> int:
    """OpenAI cookbook `num_tokens_from_messages` (gpt-4 / gpt-4o family).

    encode_ordinary instead of the cookbook's encode: special-token text in a
    message is plain text to the API (encode would raise on it)."""
    tokens_per_message, tokens_per_name = 3, 1
    num_tokens = 0
    for message in messages:
        num_tokens += tokens_per_message
        for key, value in message.items():
            num_tokens += len(enc.encode_ordinary(value))
            if key == "name":
                num_tokens += tokens_per_name
    return num_tokens + 3


COOKBOOK_EXAMPLE = [
    {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
    {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
    {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
    {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
    {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."},
]


def test_chat_prompt_counts_follow_the_cookbook(count_tokens_exe, reference):
    # The cookbook's published numbers for its example.
    assert cookbook_num_tokens(reference["cl100k_base"], COOKBOOK_EXAMPLE) == 129
    assert cookbook_num_tokens(reference["o200k_base"], COOKBOOK_EXAMPLE) == 124

    rng = random.Random(SEED + 1)
    corpus = [t for t in gen_corpus() if t]
    conversations = [COOKBOOK_EXAMPLE]
    for _ in range(100):
        conv = []
        for _ in range(rng.randrange(1, 8)):
            msg = {"role": rng.choice(["system", "developer", "user", "assistant"]), "content": rng.choice(corpus)}
            if rng.random() < 0.3:
                msg["name"] = rng.choice(["alice", "example_user", "bob_42"])
            conv.append(msg)
        conversations.append(conv)
    cases = [(model, conv) for conv in conversations for model in ("gpt-4", "gpt-4o", "gpt-5-mini")]
    answers = rust_answers(count_tokens_exe, [
        {"api": "chat", "model": model, "body": {"model": model, "messages": conv}} for model, conv in cases
    ])
    for (model, conv), answer in zip(cases, answers):
        enc = reference["cl100k_base" if model == "gpt-4" else "o200k_base"]
        assert answer["prompt_tokens"] == cookbook_num_tokens(enc, conv), (model, conv)
