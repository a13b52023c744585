//! Validators for digit-run candidates: credit cards, US SSNs and phones.

use super::context::{contains_ci, digits, is_word, luhn, prev, words_before};
use super::{Group, MAX_GROUPS, ip};
use crate::safety::detector::{EntityType, Sink};

/// Words that make a number an identifier rather than personal data.
const NEGATIVE: &[&str] = &[
    "order",
    "invoice",
    "tracking",
    "ticket",
    "isbn",
    "serial",
    "sku",
    "acct",
    "account",
    "transaction",
    "txn",
    "#",
    "id:",
    "id ",
    "id=",
    "id\"",
    "_id",
    "no.",
    "nr.",
    "ref",
    "case ",
    "batch",
    "part",
    "zip",
    "postal",
    "amount",
    "total",
    "$",
    "timestamp",
    "epoch",
    "build",
    "version",
    "isin",
    "ean",
    "upc",
    "imei",
    "patent",
    "policy",
];
const PHONE_WORDS: &[&str] = &[
    "phone",
    "tel",
    "call",
    "mobile",
    "cell",
    "contact",
    "whatsapp",
    "sms",
    "text me",
    "reach",
    "fax",
    "my number",
    "number is",
    "dial",
    "ring",
    "hotline",
    "helpline",
    "telefon",
    "portable",
    "handy",
    "mob",
    "ph:",
    "ph.",
    "landline",
    "numéro",
    "nummer",
    "anrufen",
    "appel",
];
const CARD_WORDS: &[&str] = &[
    "card",
    "visa",
    "mastercard",
    "amex",
    "cc",
    "credit",
    "debit",
    "payment",
    "pan",
];
const SSN_WORDS: &[&str] = &["ssn", "social security", "ss#", "soc sec", "social sec"];

/// Bytes before a candidate searched for context words.
const CONTEXT: usize = 32;

/// A run of groups proposed as one entity.
struct Cand<'a> {
    b: &'a [u8],
    groups: &'a [Group],
    start: usize,
    end: usize,
    plus: bool,
    paren: bool,
    digits: Vec<u8>,
}

impl<'a> Cand<'a> {
    fn new(b: &'a [u8], groups: &'a [Group]) -> Self {
        let first = groups[0];
        let last = groups[groups.len() - 1];
        let (mut start, mut plus, mut paren) = (first.start, false, false);
        match prev(b, start) {
            Some(b'+') if !prev(b, start - 1).is_some_and(is_word) => {
                start -= 1;
                plus = true;
            }
            Some(b'(') if b.get(first.end) == Some(&b')') => {
                start -= 1;
                paren = true;
            }
            _ => {}
        }
        Self {
            b,
            groups,
            start,
            end: last.end,
            plus,
            paren,
            digits: digits(&b[first.start..last.end]),
        }
    }

    fn sizes(&self) -> Vec<usize> {
        self.groups.iter().map(|g| g.end - g.start).collect()
    }

    fn seps(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.groups
            .windows(2)
            .map(|w| &self.b[w[0].end..w[1].start])
    }

    /// All separators equal and one of `allowed` (vacuously true when bare).
    fn uniform_sep(&self, allowed: &[&[u8]]) -> bool {
        let mut seps = self.seps();
        match seps.next() {
            None => true,
            Some(first) => allowed.contains(&first) && seps.all(|s| s == first),
        }
    }

    fn bare(&self) -> bool {
        self.groups.len() == 1 && !self.paren
    }

    fn near(&self, words: &[&str]) -> bool {
        words_before(self.b, self.start, CONTEXT, words)
    }

    /// Identifier context that no entity-specific word outweighs.
    fn negative(&self, positive: &[&str]) -> bool {
        self.near(NEGATIVE) && !self.near(positive)
    }

    fn num(&self, k: usize) -> u32 {
        self.digits[..k]
            .iter()
            .fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
    }
}

/// Splits a run into candidates and validates them. Candidates start and
/// end only at whitespace cuts or at the run's ends.
pub(super) fn scan_run(b: &[u8], groups: &[Group], sink: &mut Sink) {
    if sink.wants(EntityType::IpAddress) {
        ip::ipv4_in_run(b, groups, sink);
    }
    let n = groups.len();
    let mut g = 0;
    while g < n {
        if g > 0 && (!is_cut(b, groups[g - 1].end, groups[g].start) || in_block(b, groups, g - 1)) {
            g += 1;
            continue;
        }
        let mut next = g + 1;
        for k in (1..=(n - g).min(MAX_GROUPS)).rev() {
            let last = g + k - 1;
            let ends_ok = if last + 1 == n {
                !b.get(groups[last].end).copied().is_some_and(is_word)
            } else {
                is_cut(b, groups[last].end, groups[last + 1].start) && !in_block(b, groups, last)
            };
            let total: usize = groups[g..=last].iter().map(|x| x.end - x.start).sum();
            if !ends_ok || !(7..=19).contains(&total) {
                continue;
            }
            sink.work += 1;
            let cand = Cand::new(b, &groups[g..=last]);
            if let Some((entity, confidence, rule)) = classify(&cand) {
                sink.push(entity, cand.start, cand.end, confidence, rule);
                next = g + k;
                break;
            }
        }
        g = next;
    }
}

fn is_cut(b: &[u8], from: usize, to: usize) -> bool {
    b[from..to].contains(&b' ')
}

/// Groups `i` and `i + 1` are both 4 digits joined by one space: inside a
/// `4111 1111 ...` block, which is never cut into a shorter entity.
fn in_block(b: &[u8], groups: &[Group], i: usize) -> bool {
    let four = |g: &Group| g.end - g.start == 4;
    groups
        .get(i + 1)
        .is_some_and(|next| four(&groups[i]) && four(next) && &b[groups[i].end..next.start] == b" ")
}

fn classify(c: &Cand) -> Option<(EntityType, f32, &'static str)> {
    if prev(c.b, c.start) == Some(b'#') {
        return None; // `#4829173650` is a reference number
    }
    if card(c) {
        return Some((EntityType::CreditCard, 0.9, "card_luhn"));
    }
    if ssn(c) {
        return Some((EntityType::UsSsn, 0.85, "us_ssn"));
    }
    phone(c).map(|(conf, rule)| (EntityType::Phone, conf, rule))
}

fn card(c: &Cand) -> bool {
    let n = c.digits.len();
    if c.plus || c.paren || !(12..=19).contains(&n) || !c.uniform_sep(&[b" ", b"-"]) {
        return false;
    }
    let sizes = c.sizes();
    let shaped = sizes.len() == 1
        || (sizes.len() >= 3
            && sizes[..sizes.len() - 1].iter().all(|&s| s == 4)
            && (1..=4).contains(&sizes[sizes.len() - 1]))
        || sizes == [4, 6, 5]
        || sizes == [4, 6, 4];
    if !shaped || !network(c, n) || !luhn(&c.digits) {
        return false;
    }
    !(c.bare() && c.negative(CARD_WORDS))
}

/// Issuer prefix and length of the major networks.
fn network(c: &Cand, n: usize) -> bool {
    let (p1, p2, p3, p4) = (c.num(1), c.num(2), c.num(3), c.num(4));
    let visa = p1 == 4 && matches!(n, 13 | 16 | 19);
    let mastercard = ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && n == 16;
    let amex = matches!(p2, 34 | 37) && n == 15;
    let discover = (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65) && (16..=19).contains(&n);
    let diners =
        ((300..=305).contains(&p3) || matches!(p2, 36 | 38 | 39)) && (14..=19).contains(&n);
    let jcb = (3528..=3589).contains(&p4) && (16..=19).contains(&n);
    let unionpay = p2 == 62 && (16..=19).contains(&n);
    let maestro = (matches!(p2, 50 | 56..=58) || p1 == 6) && (13..=19).contains(&n);
    visa || mastercard || amex || discover || diners || jcb || unionpay || maestro
}

fn ssn(c: &Cand) -> bool {
    let d = &c.digits;
    if c.plus || c.paren || d.len() != 9 {
        return false;
    }
    let shaped = if c.bare() {
        c.near(SSN_WORDS)
    } else {
        c.sizes() == [3, 2, 4] && c.uniform_sep(&[b"-", b" "])
    };
    let area = c.num(3);
    let group = &d[3..5];
    let serial = &d[5..];
    shaped
        && area != 0
        && area != 666
        && area < 900
        && group != b"00"
        && serial != b"0000"
        && !c.negative(SSN_WORDS)
}

/// National formats we accept without a `+` country code.
fn phone(c: &Cand) -> Option<(f32, &'static str)> {
    let d = &c.digits;
    let n = d.len();
    if c.plus {
        // E.164: country code plus subscriber number, 8 to 15 digits.
        let ok = (8..=15).contains(&n) && d[0] != b'0';
        return ok.then_some((0.85, "phone_intl"));
    }
    let sizes = c.sizes();
    let slashes = c.seps().filter(|s| s.contains(&b'/')).count();
    if slashes > 1 || (slashes == 1 && !(d[0] == b'0' && (3..=5).contains(&sizes[0]))) {
        return None; // dates like 01/04/2024; only `030/1234567` uses a slash
    }
    let nanp_digit = |i: usize| (b'2'..=b'9').contains(&d[i]);
    let nanp = (n == 10 && nanp_digit(0) && nanp_digit(3) && (sizes == [3, 3, 4] || sizes == [10]))
        || (n == 11
            && d[0] == b'1'
            && nanp_digit(1)
            && nanp_digit(4)
            && (sizes == [1, 3, 3, 4] || sizes == [11]));
    let trunk = d[0] == b'0' && d[1] != b'0';
    let french = trunk && n == 10 && (sizes == [2, 2, 2, 2, 2] || sizes == [10]);
    // UK, DE and Indian numbers: an area code with the trunk 0, then
    // subscriber groups.
    let area_first = trunk
        && (9..=12).contains(&n)
        && (sizes.len() == 1
            || ((2..=6).contains(&sizes[0]) && sizes[1..].iter().all(|&s| (2..=8).contains(&s))));
    let indian = n == 10 && (b'6'..=b'9').contains(&d[0]) && (sizes == [5, 5] || sizes == [10]);
    if !(nanp || french || area_first || indian) {
        return None;
    }
    if c.bare() {
        return c.near(PHONE_WORDS).then_some((0.7, "phone_bare_context"));
    }
    if c.negative(PHONE_WORDS) || looks_like_date(c) {
        return None;
    }
    Some((0.8, "phone_national"))
}

/// `2024 01 15`-style groups are dates, not numbers in national formats.
fn looks_like_date(c: &Cand) -> bool {
    let sizes = c.sizes();
    let year = |g: &Group| {
        let y = &c.b[g.start..g.end];
        y.len() == 4 && (contains_ci(&y[..2], b"19") || contains_ci(&y[..2], b"20"))
    };
    sizes.len() == 3 && (year(&c.groups[0]) || year(&c.groups[2])) && sizes.contains(&2)
}
