//! The guards on their own: `scan`, `redact`, `check_injection`. Offsets
//! are converted from UTF-8 byte offsets to Python string indices.

use iron_core::safety::injection::InjectionDetector;
use iron_core::safety::{Detector, EntityType, Redactor, RuleDetector};
use pyo3::exceptions::PyValueError;
use pyo3::marker::Ungil;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

/// One entity found in a text: `text[start:end] == self.text`.
#[pyclass(frozen, eq, module = "iron_cage")]
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Entity type, e.g. `EMAIL`, `CREDIT_CARD`, `OPENAI_KEY`.
    #[pyo3(get, name = "type")]
    pub kind: String,
    /// Start index in the Python string.
    #[pyo3(get)]
    pub start: usize,
    /// End index (exclusive) in the Python string.
    #[pyo3(get)]
    pub end: usize,
    /// The matched text.
    #[pyo3(get)]
    pub text: String,
    /// The rule that fired.
    #[pyo3(get)]
    pub rule: String,
    /// 0..1.
    #[pyo3(get)]
    pub confidence: f32,
}

#[pymethods]
impl Finding {
    /// Whether this is a credential (as opposed to personal data).
    #[getter]
    fn is_secret(&self) -> bool {
        EntityType::parse(&self.kind).is_some_and(EntityType::is_secret)
    }

    fn __repr__(&self) -> String {
        format!(
            "Finding(type={:?}, start={}, end={}, rule={:?}, confidence={:.2})",
            self.kind, self.start, self.end, self.rule, self.confidence
        )
    }
}

/// The prompt-injection verdict for one text.
#[pyclass(frozen, eq, module = "iron_cage")]
#[derive(Debug, Clone, PartialEq)]
pub struct InjectionResult {
    /// `score >= threshold`.
    #[pyo3(get)]
    pub flagged: bool,
    /// 0..1.
    #[pyo3(get)]
    pub score: f32,
    /// `instruction_override`, `system_prompt_extraction`, `role_play_jailbreak`,
    /// `delimiter_injection`, `obfuscation`, `indirect_injection`, or None.
    #[pyo3(get)]
    pub category: Option<String>,
    /// Names of the rules that fired.
    #[pyo3(get)]
    pub signals: Vec<String>,
}

#[pymethods]
impl InjectionResult {
    fn __bool__(&self) -> bool {
        self.flagged
    }

    fn __repr__(&self) -> String {
        format!(
            "InjectionResult(flagged={}, score={:.2}, category={})",
            py_bool(self.flagged),
            self.score,
            py_opt(self.category.as_deref())
        )
    }
}

/// Texts at least this long are scanned with the GIL released; shorter ones
/// take a microsecond or two, less than releasing and re-taking the GIL.
const DETACH_FROM_BYTES: usize = 16 * 1024;

/// Runs `f` with the GIL released when the work is `long`, else holding it.
pub fn detach_if<T: Ungil>(py: Python<'_>, long: bool, f: impl Ungil + FnOnce() -> T) -> T {
    if long { py.detach(f) } else { f() }
}

fn parse_entities(entities: Option<Vec<String>>) -> PyResult<RuleDetector> {
    let shared = RuleDetector::shared();
    let Some(names) = entities else {
        return Ok(shared.clone());
    };
    let types = names
        .iter()
        .map(|n| {
            EntityType::parse(n).ok_or_else(|| {
                let valid: Vec<&str> = EntityType::ALL.iter().map(|e| e.name()).collect();
                PyValueError::new_err(format!(
                    "unknown entity type {n:?}; valid types: {}",
                    valid.join(", ")
                ))
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(shared.only(&types))
}

/// Maps ascending byte offsets to code-point indices in one pass.
struct CharIndex<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl CharIndex<'_> {
    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            // Out of order: count from the start (never happens for sorted findings).
            return self.text[..byte].chars().count();
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Finds PII and secrets in `text`. `entities` restricts the types
/// (names as in `entity_types()`). Offsets index the Python string.
#[pyfunction]
#[pyo3(signature = (text, entities=None))]
pub fn scan(
    py: Python<'_>,
    text: PyBackedStr,
    entities: Option<Vec<String>>,
) -> PyResult<Vec<Finding>> {
    let detector = parse_entities(entities)?;
    Ok(detach_if(py, text.len() >= DETACH_FROM_BYTES, || {
        let found = detector.detect(&text);
        let ascii = text.is_ascii();
        let mut index = CharIndex {
            text: &text,
            byte: 0,
            chars: 0,
        };
        found
            .into_iter()
            .map(|f| {
                let (start, end) = if ascii {
                    (f.start, f.end)
                } else {
                    (index.at(f.start), index.at(f.end))
                };
                Finding {
                    kind: f.entity.name().to_string(),
                    start,
                    end,
                    text: text[f.start..f.end].to_string(),
                    rule: f.rule.to_string(),
                    confidence: f.confidence,
                }
            })
            .collect()
    }))
}

/// `text` with every PII and secret value replaced by a typed placeholder
/// (`[EMAIL_1]`); the same value gets the same placeholder within one call.
#[pyfunction]
#[pyo3(signature = (text, entities=None))]
pub fn redact(
    py: Python<'_>,
    text: PyBackedStr,
    entities: Option<Vec<String>>,
) -> PyResult<String> {
    let detector = parse_entities(entities)?;
    Ok(detach_if(py, text.len() >= DETACH_FROM_BYTES, || {
        Redactor::new().redact(&text, &detector.detect(&text))
    }))
}

/// Scores `text` for prompt injection. `untrusted=True` treats it as data
/// (a tool result or fetched page), where instructions weigh more.
#[pyfunction]
#[pyo3(signature = (text, threshold=None, untrusted=false))]
pub fn check_injection(
    py: Python<'_>,
    text: PyBackedStr,
    threshold: Option<f32>,
    untrusted: bool,
) -> PyResult<InjectionResult> {
    if let Some(t) = threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(PyValueError::new_err(format!(
                "threshold must be between 0 and 1, got {t}"
            )));
        }
    }
    let verdict = py.detach(|| {
        let shared = InjectionDetector::shared();
        let custom;
        let detector = match threshold {
            Some(t) => {
                custom = shared.clone().with_threshold(t);
                &custom
            }
            None => shared,
        };
        if untrusted {
            detector.check_untrusted(&text)
        } else {
            detector.check(&text)
        }
    });
    let category = verdict.category.map(|c| {
        serde_json::to_value(c)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    Ok(InjectionResult {
        flagged: verdict.flagged,
        score: verdict.score,
        category,
        signals: verdict.signals.iter().map(|s| s.to_string()).collect(),
    })
}

/// Every entity type `scan` knows, e.g. `["EMAIL", "PHONE", ...]`.
#[pyfunction]
pub fn entity_types() -> Vec<&'static str> {
    EntityType::ALL.iter().map(|e| e.name()).collect()
}

/// Python's spelling of a bool in reprs.
pub fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// Python's spelling of an optional string in reprs.
pub fn py_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "None".to_string(), |s| format!("{s:?}"))
}
