#!/usr/bin/env python3
"""Python tiktoken vs iron-core token counting, on benches/data/mixed_text.txt.

Times tiktoken's `encode_ordinary` (the fastest single-threaded Python call;
it runs tiktoken's Rust core) on the same 64 KiB text the criterion bench
`tokenize` uses, and iron-core's `count` through the release build of the
`count_tokens` example (`--time`). The two are interleaved in rounds so both
see the same machine load; medians are printed in MiB/s with the ratio.
`--criterion` also runs `cargo bench -p iron-benches --bench tokenize --
--quick` and prints its medians (iron-core, bpe-openai, tiktoken-rs).

tiktoken normally downloads its rank files; offline, the `count_tokens`
example dumps them from the Rust side and the SHA-256 is checked against the
hash tiktoken pins for the official file (as in
tests/python/test_tiktoken_parity.py).

`--regenerate` rewrites benches/data/mixed_text.txt (prose, code, JSON and
multilingual text taken from this repository plus fixed samples, seed 7);
the committed file is what both sides measure.

Usage: .venv/bin/python benches/scripts/tiktoken_compare.py [--rounds N] [--criterion] [--regenerate]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEXT_FILE = REPO / "benches" / "data" / "mixed_text.txt"
TEXT_BYTES = 64 * 1024
ENCODINGS = ("cl100k_base", "o200k_base")
MIB = 1024 * 1024


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))


def count_tokens_exe() -> Path:
    proc = subprocess.run(
        ["cargo", "build", "-q", "--release", "-p", "iron-core", "--example", "count_tokens",
         "--message-format=json-render-diagnostics"],
        cwd=REPO, capture_output=True, text=True, check=True,
    )
    for line in proc.stdout.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "count_tokens":
            if msg.get("executable"):
                return Path(msg["executable"])
    sys.exit("cargo built no count_tokens executable")


def load_encodings(exe: Path) -> dict:
    import tiktoken
    import tiktoken_ext.openai_public as openai_public

    os.environ["TIKTOKEN_CACHE_DIR"] = ""
    original = openai_public.load_tiktoken_bpe
    encodings = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ENCODINGS:
            path = Path(tmp) / f"{name}.tiktoken"
            subprocess.run([str(exe), "--dump-ranks", name, str(path)], check=True)

            def local_load(url, expected_hash=None, _path=path):
                actual = hashlib.sha256(_path.read_bytes()).hexdigest()
                if actual != expected_hash:
                    sys.exit(f"{name}: rank file sha256 {actual} != official {expected_hash}")
                return original(str(_path))

            openai_public.load_tiktoken_bpe = local_load
            encodings[name] = tiktoken.Encoding(**openai_public.ENCODING_CONSTRUCTORS[name]())
    openai_public.load_tiktoken_bpe = original
    return encodings


def python_mib_per_s(enc, text: str, seconds: float) -> float:
    """Median over repeated runs."""
    enc.encode_ordinary(text)  # warm up
    size = len(text.encode())
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        enc.encode_ordinary(text)
        times.append(time.perf_counter() - start)
    return size / statistics.median(times) / MIB


def rust_mib_per_s(exe: Path, encoding: str, seconds: float) -> float:
    out = subprocess.run([str(exe), "--time", encoding, str(TEXT_FILE), str(seconds)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout)


def criterion_mib_per_s() -> dict[str, float]:
    subprocess.run(["cargo", "bench", "-q", "-p", "iron-benches", "--bench", "tokenize", "--", "--quick"],
                   cwd=REPO, check=True)
    results = {}
    for bench_json in (target_dir() / "criterion").glob("tokenize_count/**/new/benchmark.json"):
        meta = json.loads(bench_json.read_text())
        estimates = json.loads((bench_json.parent / "estimates.json").read_text())
        nanos = estimates["median"]["point_estimate"]
        size = meta["throughput"]["Bytes"]
        results[f"{meta['function_id']}/{meta['value_str']}"] = size / (nanos / 1e9) / MIB
    return results


def regenerate() -> None:
    """Builds ~64 KiB of mixed text: prose, code, JSON bodies, other scripts."""
    rng = random.Random(7)
    sources = sorted((REPO / "iron-core" / "src").rglob("*.rs"))
    prose, code = [], []
    for path in sources:
        for line in path.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith(("//!", "///")):
                prose.append(stripped.lstrip("/!").strip())
            else:
                code.append(line)
    prose = [p for p in prose if p]
    multilingual = [
        "Съешь же ещё этих мягких французских булок да выпей чаю.",
        "我能吞下玻璃而不伤身体。请把这份报告翻译成英文，并保留表格格式。",
        "いろはにほへと ちりぬるを。この関数のバグを直してください。",
        "다람쥐 헌 쳇바퀴에 타고파. 이 코드를 리뷰해 주세요.",
        "Le cœur déçu mais l'âme plutôt naïve, Louÿs rêva de crapaüter.",
        "Victor jagt zwölf Boxkämpfer quer über den großen Sylter Deich.",
        "नमस्ते, कृपया इस पाठ का सारांश दीजिए।",
        "Deploy finished ✅ 🚀 — 3 warnings ⚠️, 0 errors 🎉 👩‍💻👨‍👩‍👧 🇫🇷🇯🇵",
    ]
    chunks = []
    size = 0
    while size < TEXT_BYTES + 4096:
        kind = rng.random()
        if kind < 0.40:
            start = rng.randrange(len(prose))
            chunk = " ".join(prose[start:start + rng.randrange(3, 12)]) + "\n\n"
        elif kind < 0.75:
            start = rng.randrange(len(code))
            chunk = "```rust\n" + "\n".join(code[start:start + rng.randrange(5, 30)]) + "\n```\n\n"
        elif kind < 0.90:
            body = {"model": rng.choice(["gpt-4o", "gpt-5-mini", "claude-sonnet-4-5"]),
                    "max_tokens": rng.randrange(64, 4096),
                    "messages": [{"role": "user", "content": rng.choice(prose)},
                                 {"role": "assistant", "content": rng.choice(prose)}]}
            chunk = json.dumps(body, indent=2) + "\n\n"
        else:
            chunk = rng.choice(multilingual) + "\n\n"
        chunks.append(chunk)
        size += len(chunk.encode())
    data = "".join(chunks).encode()[:TEXT_BYTES].decode(errors="ignore")
    TEXT_FILE.parent.mkdir(parents=True, exist_ok=True)
    TEXT_FILE.write_text(data)
    print(f"wrote {TEXT_FILE} ({len(data.encode())} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (1 s each side)")
    parser.add_argument("--criterion", action="store_true", help="also run the criterion bench")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the mixed text file and exit")
    args = parser.parse_args()
    if args.regenerate:
        regenerate()
        return
    text = TEXT_FILE.read_text()
    exe = count_tokens_exe()
    encodings = load_encodings(exe)
    print(f"text: {TEXT_FILE.relative_to(REPO)} ({len(text.encode())} bytes), {args.rounds} interleaved rounds")
    for name in ENCODINGS:
        python, rust = [], []
        for _ in range(args.rounds):
            python.append(python_mib_per_s(encodings[name], text, 1.0))
            rust.append(rust_mib_per_s(exe, name, 1.0))
        py, rs = statistics.median(python), statistics.median(rust)
        print(f"{name}: python tiktoken {py:7.2f} MiB/s | iron-core {rs:7.2f} MiB/s | {rs / py:.1f}x")
    if args.criterion:
        results = criterion_mib_per_s()
        for name in ENCODINGS:
            line = ", ".join(f"{impl} {results[f'{impl}/{name}']:.2f}"
                             for impl in ("iron-core", "bpe-openai", "tiktoken-rs") if f"{impl}/{name}" in results)
            print(f"criterion {name} (MiB/s, median): {line}")


if __name__ == "__main__":
    main()
