//! Rust-side tokenizer checks. Full token-id parity against Python tiktoken
//! lives in `tests/python/test_tiktoken_parity.py`; this file pins known
//! outputs and checks `count == encode().len()` over a generated corpus.

use iron_core::accounting::{Encoding, Tokenizer};

/// Expected ids printed once by Python tiktoken 0.14
/// (`tiktoken.get_encoding(name).encode_ordinary(text)`).
const KNOWN: &[(Encoding, &str, &[u32])] = &[
    (Encoding::Cl100kBase, "hello world", &[15339, 1917]),
    (
        Encoding::Cl100kBase,
        "Hello, World! It's 2025.",
        &[9906, 11, 4435, 0, 1102, 596, 220, 2366, 20, 13],
    ),
    (
        Encoding::Cl100kBase,
        "  indented\n\ttab",
        &[220, 1280, 16243, 198, 59249],
    ),
    (
        Encoding::Cl100kBase,
        "日本語のテキスト",
        &[9080, 22656, 45918, 252, 16144, 57933, 62903, 71634],
    ),
    (
        Encoding::Cl100kBase,
        "👩\u{200d}💻 🇫🇷",
        &[
            9468, 239, 102, 378, 235, 93273, 119, 11410, 229, 104, 9468, 229, 115,
        ],
    ),
    (
        Encoding::Cl100kBase,
        "fn main() { println!(\"hi\"); }",
        &[8998, 1925, 368, 314, 14069, 17667, 6151, 5146, 335],
    ),
    (
        Encoding::Cl100kBase,
        "<|endoftext|>",
        &[27, 91, 8862, 728, 428, 91, 29],
    ),
    (
        Encoding::Cl100kBase,
        "naïve café",
        &[3458, 38672, 588, 53050],
    ),
    (Encoding::Cl100kBase, "1234567", &[4513, 10961, 22]),
    (Encoding::O200kBase, "hello world", &[24912, 2375]),
    (
        Encoding::O200kBase,
        "Hello, World! It's 2025.",
        &[13225, 11, 5922, 0, 7744, 220, 1323, 20, 13],
    ),
    (
        Encoding::O200kBase,
        "  indented\n\ttab",
        &[220, 1383, 23537, 198, 119380],
    ),
    (
        Encoding::O200kBase,
        "日本語のテキスト",
        &[9048, 40909, 3385, 16056, 18368, 38236],
    ),
    (
        Encoding::O200kBase,
        "👩\u{200d}💻 🇫🇷",
        &[28823, 102, 2524, 31446, 119, 173468, 104, 55506, 115],
    ),
    (
        Encoding::O200kBase,
        "fn main() { println!(\"hi\"); }",
        &[13682, 2758, 416, 354, 30266, 33966, 3686, 9835, 388],
    ),
    (
        Encoding::O200kBase,
        "<|endoftext|>",
        &[27, 91, 419, 1440, 919, 91, 29],
    ),
    (Encoding::O200kBase, "naïve café", &[1503, 9954, 737, 30469]),
    (Encoding::O200kBase, "1234567", &[7633, 19354, 22]),
];

#[test]
fn known_strings_encode_like_python_tiktoken() {
    for &(encoding, text, want) in KNOWN {
        let tokenizer = encoding.tokenizer();
        assert_eq!(tokenizer.encode(text), want, "{encoding}: {text:?}");
        assert_eq!(tokenizer.count(text), want.len(), "{encoding}: {text:?}");
    }
}

/// SplitMix64: a fixed-seed generator so the corpus is the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A random valid Unicode scalar value (no surrogates), biased to ASCII.
    fn char(&mut self) -> char {
        loop {
            let cp = match self.below(10) {
                0..=2 => 0x20 + self.below(0x5F) as u32,
                3..=5 => 0x80 + self.below(0x2F80) as u32,
                6..=7 => 0x3000 + self.below(0xD000) as u32,
                _ => 0x1_0000 + self.below(0x10_0000) as u32,
            };
            if let Some(c) = char::from_u32(cp) {
                return c;
            }
        }
    }
}

const PIECES: &[&str] = &[
    "the quick brown fox ",
    "don't ",
    "IT'S ",
    "they're ",
    "naïve café ",
    "e\u{301} ",
    "日本語のテキスト",
    "中文分词测试。",
    "다람쥐 헌 쳇바퀴",
    "Съешь же ещё ",
    "نص حكيم ",
    "👩\u{200d}💻",
    "👨\u{200d}👩\u{200d}👧\u{200d}👦",
    "🇫🇷🇯🇵",
    "1\u{fe0f}\u{20e3}",
    "👍🏽",
    "fn main() {\n    println!(\"{x:?}\");\n}\n",
    "def f(x):\n\treturn x ** 2\n",
    "SELECT * FROM t WHERE id = 42;",
    "{\"a\": [1, 2, 3]}",
    "<|endoftext|>",
    "1234567890",
    "3.14159",
    "\r\n",
    "\n\n\n",
    "\r",
    "\u{2028}",
    "    ",
    "\t\t",
    "\u{3000}",
    " ",
    "XMLHttpRequest",
    "CamelCaseWord",
];

fn corpus() -> Vec<String> {
    let mut rng = Rng(0x1C0_CA6E);
    let mut texts: Vec<String> = vec![
        String::new(),
        " ".repeat(1000),
        "\n".repeat(300),
        "a".repeat(5000),
        "9".repeat(777),
        "👍".repeat(200),
        "supercalifragilistic".repeat(100),
    ];
    for i in 0..600 {
        let mut text = String::new();
        match i % 4 {
            // Concatenated realistic pieces.
            0 | 1 => {
                for _ in 0..1 + rng.below(40) {
                    text.push_str(rng.pick(PIECES));
                }
            }
            // Random valid UTF-8.
            2 => {
                for _ in 0..1 + rng.below(300) {
                    text.push(rng.char());
                }
            }
            // Whitespace runs around words.
            _ => {
                for _ in 0..1 + rng.below(20) {
                    let ws = rng.pick(&[" ", "\t", "\n", "\r\n", "\u{a0}"]);
                    text.push_str(&ws.repeat(1 + rng.below(30)));
                    text.push_str(rng.pick(&["x", "Word", "42", "!", ""]));
                }
            }
        }
        texts.push(text);
    }
    texts
}

#[test]
fn count_equals_encode_len_over_the_corpus() {
    let corpus = corpus();
    assert!(corpus.len() >= 500);
    for encoding in Encoding::ALL {
        let tokenizer: &dyn Tokenizer = encoding.tokenizer();
        let mut total = 0;
        for text in &corpus {
            let tokens = tokenizer.encode(text);
            assert_eq!(tokenizer.count(text), tokens.len(), "{encoding}: {text:?}");
            // Every non-empty text has at least one token, never more than bytes.
            assert_eq!(tokens.is_empty(), text.is_empty(), "{encoding}: {text:?}");
            assert!(tokens.len() <= text.len(), "{encoding}: {text:?}");
            total += tokens.len();
        }
        assert!(
            total > 10_000,
            "{encoding}: corpus too small ({total} tokens)"
        );
    }
}

#[test]
fn o200k_is_denser_than_cl100k_on_non_english_text() {
    // A sanity check that the two encodings are really different tables.
    let text = corpus().concat();
    let cl100k = Encoding::Cl100kBase.tokenizer().count(&text);
    let o200k = Encoding::O200kBase.tokenizer().count(&text);
    assert!(o200k < cl100k, "o200k {o200k} vs cl100k {cl100k}");
}
