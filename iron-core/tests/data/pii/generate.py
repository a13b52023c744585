#!/usr/bin/env python3
"""Deterministic labelled corpus for iron-core's PII/secret detector.

    python3 iron-core/tests/data/pii/generate.py   # rewrites corpus.jsonl

Each line: {"id", "genre", "text", "entities": [{"type", "start", "end"}],
"negatives": [kinds]}. Offsets are UTF-8 byte offsets. About half of the
texts contain only hard negatives (look-alikes that must not be flagged).
"""
import base64
import ipaddress
import json
import os
import random
import string

SEED = 20261123
N_TEXTS = 2400
R = random.Random(SEED)

ALNUM = string.ascii_letters + string.digits
FIRST = ["jane", "john", "maria", "li", "ahmed", "sophie", "lukas", "priya", "olivia", "noah",
         "chloé", "mateo", "aisha", "kenji", "emma", "raj", "fatima", "lucas", "anna", "omar"]
LAST = ["doe", "smith", "garcia", "wang", "khan", "martin", "müller", "sharma", "brown", "rossi",
        "dubois", "kim", "nguyen", "patel", "silva", "novak", "okafor", "jensen"]
DOMAINS = ["example.com", "acme.io", "mail.co.uk", "corp.example.org", "gmail.com", "uni-berlin.de",
           "startup.ai", "post.fr", "company.co.in", "outlook.com"]
FILLER = [
    "Thanks again for the quick turnaround.", "Let me know if anything is unclear.",
    "The meeting moved to Thursday afternoon.", "We shipped the fix in the last release.",
    "Could you double-check the numbers before Friday?", "Grüße aus München!",
    "The café near the office reopened.", "I'll follow up after lunch.",
    "Nothing urgent, just keeping you in the loop.", "See the attached notes for context.",
    "This is blocking the migration, so please prioritise it.", "Happy to jump on a call 🙂.",
    "The dashboard shows 3 errors in the last 24 hours.", "We expect about 120 users next week.",
]


def rs(chars, n):
    return "".join(R.choice(chars) for _ in range(n))


def luhn_complete(prefix, length):
    body = prefix + rs(string.digits, length - len(prefix) - 1)
    for check in string.digits:
        s, dbl = 0, False
        for ch in reversed(body + check):
            d = int(ch) * (2 if dbl else 1)
            s += d - 9 if d > 9 else d
            dbl = not dbl
        if s % 10 == 0:
            return body + check
    raise AssertionError


def group(s, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    return sep.join(x for x in out if x)


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# ---------------------------------------------------------------- positives
def email():
    f, l = R.choice(FIRST), R.choice(LAST)
    f = f.replace("é", "e").replace("ü", "u")
    l = l.replace("é", "e").replace("ü", "u")
    local = R.choice([f"{f}.{l}", f"{f[0]}{l}{R.randint(1, 99)}", f"{f}+{R.choice(['news', 'dev'])}",
                      f"{f}_{l}", f"{f.upper()}.{l.capitalize()}", f"{l}{R.randint(1970, 2005)}"])
    return local + "@" + R.choice(DOMAINS)


def nanp():
    return f"{R.randint(2, 9)}{rs(string.digits, 2)}", f"{R.randint(2, 9)}{rs(string.digits, 2)}", rs(string.digits, 4)


def phone():
    a, e, s = nanp()
    kind = R.randrange(6)
    if kind == 0:
        return R.choice([f"({a}) {e}-{s}", f"{a}-{e}-{s}", f"{a}.{e}.{s}", f"+1 {a} {e} {s}",
                         f"+1-{a}-{e}-{s}", f"1-{a}-{e}-{s}", f"+1{a}{e}{s}", f"+1 ({a}) {e}-{s}"])
    if kind == 1:
        ln = f"20 {rs(string.digits, 4)} {rs(string.digits, 4)}"
        mob = f"7{rs(string.digits, 3)} {rs(string.digits, 6)}"
        return R.choice([f"+44 {ln}", f"0{ln}", f"0{mob}", f"+44 {mob}", "+44" + mob.replace(" ", ""),
                         f"0161 {rs(string.digits, 3)} {rs(string.digits, 4)}", f"+44 (0){ln}"])
    if kind == 2:
        area = R.choice(["30", "89", "40", "221", "69", "711"])
        sub = rs(string.digits, R.randint(6, 8))
        mob = f"15{R.randint(1, 9)} {rs(string.digits, 8)}"
        return R.choice([f"0{area} {sub}", f"+49 {area} {sub}", f"+49 (0){area} {sub}", f"0{mob}",
                         f"+49 {mob}", f"0{area}/{sub}", f"0{area}-{sub}"])
    if kind == 3:
        d = [f"0{R.randint(1, 9)}"] + [rs(string.digits, 2) for _ in range(4)]
        intl = f"+33 {d[0][1]} " + " ".join(d[1:])
        return R.choice([" ".join(d), ".".join(d), "-".join(d), intl, intl.replace(" ", "")])
    if kind == 4:
        m = f"{R.randint(6, 9)}{rs(string.digits, 4)}"
        n = rs(string.digits, 5)
        return R.choice([f"+91 {m} {n}", f"+91-{m}{n}", f"{m} {n}", f"+91{m}{n}", f"0{m} {n}"])
    cc = R.choice(["+61 2", "+81 3", "+34 91", "+39 06", "+31 20", "+65", "+971 4", "+55 11"])
    return f"{cc} {rs(string.digits, 4)} {rs(string.digits, 4)}"


def card():
    net = R.randrange(6)
    if net == 0:
        n = luhn_complete("4", 16)
    elif net == 1:
        n = luhn_complete(R.choice(["51", "52", "53", "54", "55", str(R.randint(2221, 2720))]), 16)
    elif net == 2:
        n = luhn_complete(R.choice(["34", "37"]), 15)
        return group(n, [4, 6, 5], R.choice([" ", "-", ""]))
    elif net == 3:
        n = luhn_complete(R.choice(["6011", "65"]), 16)
    elif net == 4:
        n = luhn_complete(str(R.randint(3528, 3589)), 16)
    else:
        n = luhn_complete(R.choice(["36", "38"]), 14)
        return group(n, [4, 6, 4], R.choice([" ", "-"]))
    return group(n, [4, 4, 4, 4], R.choice([" ", "-", "", " "]))


def ssn_parts():
    area = R.choice([R.randint(1, 665), R.randint(667, 899)])
    return f"{area:03d}", f"{R.randint(1, 99):02d}", f"{R.randint(1, 9999):04d}"


def ssn():
    a, g, s = ssn_parts()
    return R.choice([f"{a}-{g}-{s}", f"{a}-{g}-{s}", f"{a} {g} {s}"])


IBAN_FORMATS = {"DE": "n18", "GB": "a4n14", "FR": "n23", "ES": "n20", "IT": "a1n22", "NL": "a4n10",
                "CH": "n17", "BE": "n12", "AT": "n16", "PL": "n24"}


def iban(valid=True):
    cc = R.choice(sorted(IBAN_FORMATS))
    bban = ""
    for part in IBAN_FORMATS[cc].replace("n", " n").replace("a", " a").split():
        bban += rs(string.ascii_uppercase if part[0] == "a" else string.digits, int(part[1:]))
    num = int("".join(str(int(c, 36)) for c in bban + cc + "00"))
    check = 98 - num % 97
    if not valid:
        check = (check + R.randint(1, 50)) % 97 + 2
    s = f"{cc}{check:02d}{bban}"
    return s if R.random() < 0.4 else " ".join(s[i:i + 4] for i in range(0, len(s), 4))


def ip():
    if R.random() < 0.6:
        return R.choice([f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
                         f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}",
                         str(ipaddress.IPv4Address(R.randint(0x0B000000, 0xDF000000))),
                         "8.8.8.8", "127.0.0.1"])
    addr = ipaddress.IPv6Address(R.getrandbits(128))
    if R.random() < 0.5:
        addr = ipaddress.IPv6Address((0x20010DB8 << 96) | R.getrandbits(16))
    return R.choice([addr.compressed, addr.exploded, "fe80::" + rs("0123456789abcdef", 4) + ":1", "::1"])


def pem():
    kind = R.choice(["RSA ", "", "EC ", "OPENSSH "])
    body = "\n".join(rs(ALNUM + "+/", 64) for _ in range(R.randint(6, 20)))
    return f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"


def jwt():
    header = b64url(json.dumps({"alg": R.choice(["HS256", "RS256"]), "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": str(R.randint(1, 10**6)), "name": R.choice(FIRST),
                                 "iat": R.randint(1.6e9, 1.8e9)}).encode())
    return f"{header}.{payload}.{b64url(bytes(R.getrandbits(8) for _ in range(32)))}"


SECRET_VALUES = {
    "AWS_ACCESS_KEY": lambda: R.choice(["AKIA", "ASIA"]) + rs(string.ascii_uppercase + "234567", 16),
    "AWS_SECRET_KEY": lambda: rs(ALNUM + "/+", 40),
    "GITHUB_TOKEN": lambda: R.choice([R.choice(["ghp_", "gho_", "ghs_"]) + rs(ALNUM, 36),
                                      "github_pat_" + rs(ALNUM, 22) + "_" + rs(ALNUM, 59)]),
    "OPENAI_KEY": lambda: R.choice(["sk-" + rs(ALNUM, 48), "sk-proj-" + rs(ALNUM + "-_", 120)]),
    "ANTHROPIC_KEY": lambda: "sk-ant-api03-" + rs(ALNUM + "-_", 93) + "AA",
    "STRIPE_KEY": lambda: R.choice(["sk_live_", "rk_live_"]) + rs(ALNUM, R.choice([24, 99])),
    "SLACK_TOKEN": lambda: R.choice(["xoxb-", "xoxp-"]) + f"{rs(string.digits, 12)}-{rs(string.digits, 13)}-{rs(ALNUM, 24)}",
    "GOOGLE_API_KEY": lambda: "AIza" + rs(ALNUM + "-_", 35),
    "PRIVATE_KEY": pem,
    "JWT": jwt,
}
FIELDS = {
    "EMAIL": ["email", "contact_email", "reply_to", "user.email"],
    "PHONE": ["phone", "mobile", "tel", "contact_phone"],
    "CREDIT_CARD": ["card_number", "cc", "pan", "payment_card"],
    "US_SSN": ["ssn", "social_security_number", "tax_ssn"],
    "IBAN": ["iban", "bank_account", "payout_iban"],
    "IP_ADDRESS": ["ip", "client_ip", "remote_addr", "host"],
    "AWS_ACCESS_KEY": ["aws_access_key_id", "AccessKeyId", "AWS_ACCESS_KEY_ID"],
    "AWS_SECRET_KEY": ["aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "SecretAccessKey"],
    "GITHUB_TOKEN": ["github_token", "GH_TOKEN", "token"],
    "OPENAI_KEY": ["OPENAI_API_KEY", "openai_key", "api_key"],
    "ANTHROPIC_KEY": ["ANTHROPIC_API_KEY", "anthropic_key", "x-api-key"],
    "STRIPE_KEY": ["STRIPE_SECRET_KEY", "stripe_key"],
    "SLACK_TOKEN": ["SLACK_BOT_TOKEN", "slack_token"],
    "GOOGLE_API_KEY": ["GOOGLE_API_KEY", "maps_key", "key"],
    "PRIVATE_KEY": ["private_key", "ssh_key"],
    "JWT": ["id_token", "access_token", "jwt"],
    "GENERIC_SECRET": ["api_key", "client_secret", "auth_token", "password", "DB_PASSWORD", "apiKey",
                       "secret_key", "access_token"],
}
PROSE = {
    "EMAIL": ["You can reach {n} at {V}.", "Please cc {V} on the thread.", "Send the invoice to {V} by Monday."],
    "PHONE": ["Call {n} on {V} if the build breaks.", "My number is {V}.", "The front desk phone is {V}, ask for {n}.",
              "Reach me at {V} after 5pm."],
    "CREDIT_CARD": ["Charge it to my card {V}, expiry 09/27.", "The customer paid with {V}.",
                    "Card on file: {V}."],
    "US_SSN": ["My SSN is {V} for the tax form.", "{n}'s social security number: {V}.", "SSN {V} was entered twice."],
    "IBAN": ["Wire the refund to {V} please.", "Our IBAN is {V} (Sparkasse).", "Bank details: {V}."],
    "IP_ADDRESS": ["The request came from {V} at noon.", "SSH into {V} and restart nginx.", "Blocked {V} after 50 failed logins."],
    "SECRET": ["Here is the key I used: {V} — does it still work?", "I pasted {V} into the config by mistake.",
               "Use this one: {V}"],
}


def positive(kind):
    """(kind, value, span_in_value) for one labelled entity."""
    if kind == "URL_PASSWORD":
        pw = rs(ALNUM, R.randint(6, 10)) + R.choice(["!", "-", "_", "9", "#"]) + rs(ALNUM, 3)
        scheme = R.choice(["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp", "https", "ftp"])
        user = R.choice(["admin", "app", "deploy", R.choice(FIRST).replace("é", "e")])
        host = R.choice(["db.internal", "10.0.3.7", "cluster0.x1y2z.mongodb.net", "cache.prod", "files.acme.io"])
        pre = f"{scheme}://{user}:"
        return pre + pw + f"@{host}:{R.choice([5432, 3306, 6379, 5672, 443])}/app", (len(pre), len(pre) + len(pw))
    if kind == "GENERIC_SECRET":
        v = R.choice([rs(ALNUM, R.randint(16, 40)), rs(string.hexdigits.lower(), 32),
                      R.choice(["Tr0ub4dor&3", "S3cure!Pass", "hunter2-Prod"]) + rs(string.digits, 2)])
        return v, (0, len(v))
    gen = {"EMAIL": email, "PHONE": phone, "CREDIT_CARD": card, "US_SSN": ssn, "IBAN": iban,
           "IP_ADDRESS": ip}.get(kind) or SECRET_VALUES[kind]
    v = gen()
    return v, (0, len(v))


# ------------------------------------------------------------ hard negatives
def luhn_fail():
    n = luhn_complete("4", 16)
    n = n[:-1] + str((int(n[-1]) + R.randint(1, 9)) % 10)
    return group(n, [4, 4, 4, 4], R.choice([" ", "-"]))


NEGATIVES = {
    "uuid": lambda: ("request_id", str(__import__("uuid").UUID(int=R.getrandbits(128)))),
    "git_sha": lambda: ("commit", rs("0123456789abcdef", 40)),
    "sha256": lambda: ("sha256", rs("0123456789abcdef", 64)),
    "version": lambda: ("version", R.choice([f"{R.randint(1, 4)}.{R.randint(0, 9)}.{R.randint(0, 20)}.{R.randint(0, 99)}",
                                              f"v{R.randint(1, 9)}.{R.randint(0, 30)}.{R.randint(0, 99)}",
                                              f"120.0.{R.randint(1000, 9999)}.{R.randint(10, 200)}"])),
    "order_number": lambda: ("order_id", R.choice([f"#{R.randint(10**9, 10**10 - 1)}",
                                                    f"{R.randint(100, 999)}-{R.randint(10**6, 10**7 - 1)}-{R.randint(10**6, 10**7 - 1)}",
                                                    f"INV-2024-{R.randint(1, 99999):05d}"])),
    "timestamp": lambda: ("created_at", R.choice([str(R.randint(1_600_000_000, 1_799_999_999)),
                                                  str(R.randint(1_600_000_000_000, 1_799_999_999_999)),
                                                  f"2024-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:00Z",
                                                  f"{R.randint(1, 28):02d}/{R.randint(1, 12):02d}/2024 {R.randint(0, 23):02d}:{R.randint(0, 59):02d}",
                                                  f"2025-{R.randint(1, 12):02d}-{R.randint(1, 28):02d} {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}.{R.randint(0, 999):03d}"])),
    "luhn_fail": lambda: ("card_number", luhn_fail()),
    "price": lambda: ("amount", R.choice([f"${R.randint(1, 99)},{R.randint(100, 999)}.{R.randint(0, 99):02d}",
                                          f"€{R.randint(1, 999)}.{R.randint(0, 99):02d}", f"{R.randint(1, 9)} {R.randint(100, 999)} 000 EUR"])),
    "zip": lambda: ("zip", R.choice([f"{R.randint(10000, 99999)}", f"{R.randint(10000, 99999)}-{R.randint(1000, 9999)}", "SW1A 1AA"])),
    "isbn": lambda: ("isbn", R.choice(["ISBN 978-3-16-148410-0", "ISBN-10: 0-306-40615-2", f"ISBN 978-{R.randint(0, 9)}-{R.randint(100, 999)}-{R.randint(10000, 99999)}-{R.randint(0, 9)}"])),
    "long_id": lambda: ("user_id", str(R.randint(10**9, 10**14))),
    "aws_example": lambda: ("aws_access_key_id", R.choice(["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE"])),
    "aws_secret_example": lambda: ("aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    "placeholder_key": lambda: (R.choice(["api_key", "OPENAI_API_KEY", "token", "password"]),
                                R.choice(["sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "your-api-key-here", "${API_KEY}", "<YOUR_TOKEN>",
                                          "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "{{ vault_password }}", "changeme", "********"])),
    "code_expr": lambda: ("token", R.choice(["os.environ.get(\"TOKEN\")", "process.env.API_KEY", "self.password", "getToken()",
                                             "settings.SECRET_KEY"])),
    "invalid_ssn": lambda: ("ssn", R.choice([f"000-{R.randint(10, 99)}-{R.randint(1000, 9999)}", f"666-{R.randint(10, 99)}-{R.randint(1000, 9999)}",
                                             f"9{R.randint(10, 99)}-{R.randint(10, 99)}-{R.randint(1000, 9999)}", f"{R.randint(100, 665)}-00-{R.randint(1000, 9999)}",
                                             f"{R.randint(100, 665)}-{R.randint(10, 99)}-0000"])),
    "invalid_iban": lambda: ("iban", iban(valid=False)),
    "ip_like": lambda: ("value", R.choice([f"{R.randint(256, 999)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(0, 255)}",
                                           f"1.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(0, 9)}",
                                           "00:1A:2B:3C:4D:5E", f"{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}",
                                           "section 2.3.1.4"])),
    "public_pem": lambda: ("cert", "-----BEGIN PUBLIC KEY-----\n" + "\n".join(rs(ALNUM + "+/", 64) for _ in range(4)) + "\n-----END PUBLIC KEY-----"),
    "email_like": lambda: ("handle", R.choice(["@jane_doe", "user@localhost", "lodash@4.17.21", "icon@2x.png", "@Override"])),
    "url_no_password": lambda: ("url", R.choice(["postgres://localhost:5432/app", "https://user@github.com/acme/repo.git",
                                                 "postgres://user:${DB_PASSWORD}@db/app", "https://example.com/path?q=1:2"])),
    "jwt_like": lambda: ("header", "eyJhbGciOiJIUzI1NiJ9"),
    "low_entropy": lambda: (R.choice(["token_count", "max_tokens", "primary_key", "sort_key"]),
                            R.choice(["4096", "created_at", "id", "1532", "user_name"])),
    "date": lambda: ("date", R.choice([f"2024-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}", f"{R.randint(1, 28):02d}.{R.randint(1, 12):02d}.2024",
                                       f"{R.randint(1, 12)}/{R.randint(1, 28)}/2024"])),
}


# ------------------------------------------------------------------ genres
class Text:
    def __init__(self):
        self.parts, self.labels, self.pos = [], [], 0

    def add(self, s, label=None, span=None):
        if label:
            a, b = span
            start = self.pos + len(s[:a].encode())
            self.labels.append({"type": label, "start": start, "end": start + len(s[a:b].encode())})
        self.parts.append(s)
        self.pos += len(s.encode())

    def render(self):
        return "".join(self.parts)


def emit(t, genre, field, value, label=None, span=None, prose=None):
    """Writes one field/value in the genre's syntax."""
    if genre == "prose" or genre == "chat":
        tpl = prose or R.choice(["The {f} is {V}.", "{f}: {V}", "Note: {f} = {V}"])
        tpl = tpl.replace("{n}", R.choice(FIRST).capitalize()).replace("{f}", field.replace("_", " "))
        pre, post = tpl.split("{V}")
        t.add(pre)
        t.add(value, label, span)
        t.add(post)
    elif genre == "code":
        style = R.randrange(3)
        pre = [f'{field} = "', f'const {field.replace(".", "_")} = "', f'os.Setenv("{field.upper()}", "'][style]
        esc = value.replace("\n", "\\n")
        span2 = span and (len(value[:span[0]].replace("\n", "\\n")), len(value[:span[1]].replace("\n", "\\n")))
        t.add(pre)
        t.add(esc, label, span2)
        t.add(['"\n', '";\n', '")\n'][style])
    elif genre == "json":
        esc = value.replace("\n", "\\n")
        span2 = span and (len(value[:span[0]].replace("\n", "\\n")), len(value[:span[1]].replace("\n", "\\n")))
        t.add(f'  "{field}": "')
        t.add(esc, label, span2)
        t.add('",\n')
    elif genre == "yaml":
        t.add(f"{field}: ")
        t.add(value, label, span)
        t.add("\n")
    elif genre == "log":
        ts = f"2024-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}Z"
        t.add(f"{ts} {R.choice(['INFO', 'WARN', 'DEBUG'])} [{R.choice(['api', 'worker', 'auth'])}] {R.choice(['request', 'login', 'sync'])} {field}=")
        t.add(value, label, span)
        t.add(f" status={R.choice([200, 401, 500])}\n")
    else:  # csv
        name = R.choice(FIRST).capitalize()
        t.add(f"{R.randint(1, 9999)},{name},")
        t.add(value, label, span)
        t.add(f",{R.choice(['active', 'pending', 'closed'])}\n")


def header(t, genre, fields):
    if genre == "json":
        t.add("{\n")
    elif genre == "csv":
        t.add("id,name," + "|".join(fields) + ",status\n")
    elif genre == "chat":
        t.add(R.choice(["User: ", "user: ", "Human: "]))
    elif genre == "code":
        t.add(R.choice(["# settings.py\n", "// config.ts\n", "// main.go\n"]))
    if genre in ("prose", "chat") and R.random() < 0.7:
        t.add(R.choice(FILLER) + " ")


def footer(t, genre):
    if genre == "json":
        t.add('  "ok": true\n}\n')
    elif genre == "chat":
        t.add(" " + R.choice(FILLER) + "\nAssistant: " + R.choice(["Got it.", "Sure, I'll take a look.", "Thanks!"]))
    elif genre == "prose" and R.random() < 0.6:
        t.add(" " + R.choice(FILLER))


# Phones and cards have the most formats, so they get more samples.
POS_KINDS = ["EMAIL", "EMAIL", "PHONE", "PHONE", "PHONE", "CREDIT_CARD", "CREDIT_CARD", "US_SSN", "IBAN",
             "IP_ADDRESS", "IP_ADDRESS"] + list(SECRET_VALUES) + ["URL_PASSWORD", "GENERIC_SECRET"]
KEYWORD_BOUND = ("GENERIC_SECRET", "AWS_SECRET_KEY")
GENRES = ["prose", "chat", "code", "json", "yaml", "log", "csv"]


def make(i):
    genre = R.choice(GENRES)
    t = Text()
    negative = i % 20 < 9  # 45% hard-negative texts
    items = []
    n_items = R.randint(1, 3)
    for _ in range(n_items):
        if negative or R.random() < 0.3:
            kind = R.choice(sorted(NEGATIVES))
            field, value = NEGATIVES[kind]()
            items.append((None, kind, field, value, None))
        else:
            kind = R.choice(POS_KINDS)
            value, span = positive(kind)
            field = R.choice(FIELDS.get(kind, ["url", "database_url", "dsn"]))
            items.append((kind, kind, field, value, span))
    if any("\n" in it[3] for it in items):
        genre = R.choice(["json", "prose", "chat"])
    if genre == "csv" and any(it[0] in KEYWORD_BOUND for it in items):
        # A generic secret is defined by its key word; a CSV cell has none.
        genre = R.choice(["yaml", "log", "json"])
    header(t, genre, [it[2] for it in items])
    for label, kind, field, value, span in items:
        prose = None
        if genre in ("prose", "chat") and label:
            prose = R.choice(PROSE.get(label, PROSE["SECRET"]))
            if label in ("GENERIC_SECRET", "AWS_SECRET_KEY"):
                prose = f"{field}={{V}}"  # generic secrets need their key word
            elif label == "US_SSN":
                prose = R.choice(PROSE["US_SSN"])
        emit(t, genre, field, value, label, span, prose)
        if genre in ("prose", "chat"):
            t.add(" ")
    footer(t, genre)
    return {"id": i, "genre": genre, "text": t.render(), "entities": t.labels,
            "negatives": [it[1] for it in items if it[0] is None]}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for i in range(N_TEXTS):
            f.write(json.dumps(make(i), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
