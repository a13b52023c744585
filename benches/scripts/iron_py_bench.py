"""iron_cage from Python: guard and check_tool cost, runtime start time,
added RSS, and the latency an openai call gains through the gateway
(vs. straight to the fake provider). Prints numbers; asserts nothing.

    VIRTUAL_ENV=$PWD/.venv .venv/bin/maturin develop --release -m iron-py/Cargo.toml
    .venv/bin/python benches/scripts/iron_py_bench.py
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def per_call_us(fn, n: int) -> float:
    fn()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) / n)
    return best * 1e6


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


# Run in a fresh interpreter: each stage's time and RSS, in the order a
# first SafetyRuntime pays them.
STARTUP_STAGES = r"""
import json, sys, time
from pathlib import Path
def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
import openai
stages, r0, t0 = [], rss(), time.perf_counter()
def mark(name):
    global r0, t0
    r, t = rss(), time.perf_counter()
    stages.append((name, (t - t0) * 1e3, r - r0))
    r0, t0 = r, t
import iron_cage; mark("import iron_cage")
iron_cage.scan("x"); mark("PII/secret rules")
iron_cage.check_injection("x"); mark("injection rules")
options = dict(upstreams={"openai": "http://127.0.0.1:9"}, provider_keys={"openai": "sk-x"})
iron_cage.SafetyRuntime(1000.0, **options); mark("runtime (Tokio, HTTP clients, gateway)")
print(json.dumps(stages))
"""


def startup_breakdown() -> None:
    out = subprocess.run([sys.executable, "-c", STARTUP_STAGES], capture_output=True, text=True, check=True)
    print("start-up by stage (fresh process):")
    for name, ms, mb in json.loads(out.stdout.strip().splitlines()[-1]):
        print(f"  {name:40} {ms:7.1f} ms {mb:+6.1f} MB")


def main() -> None:
    import openai  # imported before measuring RSS: the agent has it anyway

    # The test kit (the fake provider's handle) is loaded before measuring
    # too: what it imports is the harness's memory, not iron_cage's.
    spec = importlib.util.spec_from_file_location("kit", REPO / "tests/python/conftest.py")
    assert spec and spec.loader
    kit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kit)

    rss_before = rss_mb()
    import iron_cage
    proc = subprocess.Popen(
        [str(kit._binary()), "--exit-on-stdin-eof"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    fake = kit.FakeProvider(json.loads(proc.stdout.readline())["url"])
    key = fake.new_key()
    fake.script(key, [{"reply": "ok", "sticky": True}])
    options = dict(upstreams={"openai": fake.url}, provider_keys={"openai": key})

    starts = []
    for _ in range(21):
        t = time.perf_counter()
        rt = iron_cage.SafetyRuntime(1000.0, **options)
        starts.append((time.perf_counter() - t) * 1e3)
        rt.close()
    rt = iron_cage.SafetyRuntime(1000.0, **options)
    rss_after = rss_mb()

    # The first start in a process also compiles the guards' rules (shared after).
    print(f"runtime start, first:    {starts[0]:.1f} ms (compiles the injection and PII rules once per process)")
    later = starts[1:]
    print(f"runtime start, later:    median {statistics.median(later):.2f} ms, max {max(later):.2f} ms (goal <= 50 ms)")
    print(f"added RSS (import+start): {rss_after - rss_before:.1f} MB (goal <= 20 MB)")
    startup_breakdown()
    args = {"path": "/tmp/report.csv", "mode": "r"}
    print(f"check_tool from Python:  {per_call_us(lambda: rt.check_tool('read_file', args), 20000):.2f} us/call (goal <= 5 us)")
    print(f"  native check_tool:     {per_call_us(lambda: rt._native.check_tool('read_file', args), 20000):.2f} us/call")
    text = "Please email ana@example.org about the invoice for order 12345."
    print(f"scan (64 chars):         {per_call_us(lambda: iron_cage.scan(text), 20000):.2f} us/call")
    print(f"check_injection (64 ch): {per_call_us(lambda: iron_cage.check_injection(text), 5000):.2f} us/call")

    messages = [{"role": "user", "content": "Say ok."}]

    direct = openai.OpenAI(base_url=f"{fake.url}/v1", api_key=key, max_retries=0)
    with rt.governed():  # the client reads the gateway's URL and key here
        governed = openai.OpenAI(max_retries=0)

    def call(client: openai.OpenAI) -> float:
        t = time.perf_counter()
        client.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=16)
        return (time.perf_counter() - t) * 1e3

    rss = rss_mb()
    first = call(governed)
    print(f"first governed call:     {first:.1f} ms, +{rss_mb() - rss:.1f} MB (loads the model's tokenizer table)")
    for _ in range(20):  # warm up connections
        call(direct), call(governed)
    d, g = [], []
    for _ in range(400):  # interleaved, so machine noise hits both alike
        d.append(call(direct))
        g.append(call(governed))
    print(
        f"openai call direct:      p50 {statistics.median(d):.2f} ms, p95 {percentile(d, 0.95):.2f} ms\n"
        f"openai call via gateway: p50 {statistics.median(g):.2f} ms, p95 {percentile(g, 0.95):.2f} ms\n"
        f"added by the gateway:    p50 {statistics.median(g) - statistics.median(d):.2f} ms"
    )
    rt.close()
    proc.stdin.close()
    proc.wait(timeout=10)


if __name__ == "__main__":
    main()
