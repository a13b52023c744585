//! Model prices and cost arithmetic, in integer micro-dollars.
//!
//! The built-in table (`prices.toml`, embedded) holds list prices; operators
//! override or extend it with a `.json` or `.toml` file of the same shape:
//!
//! ```toml
//! [models."my-finetune"]
//! input_per_mtok = 3_000_000        # $3.00 per 1M prompt tokens
//! cached_input_per_mtok = 1_500_000
//! output_per_mtok = 12_000_000
//! max_output_tokens = 16_384
//!
//! [default]                          # optional: price for unknown models
//! input_per_mtok = 10_000_000
//! cached_input_per_mtok = 10_000_000
//! output_per_mtok = 30_000_000
//! max_output_tokens = 16_384
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::money::Micros;

const TOKENS_PER_MTOK: i128 = 1_000_000;

/// Anthropic bills a 5-minute cache write at 125% of the input price.
pub const ANTHROPIC_CACHE_WRITE_PERCENT: u64 = 125;

/// Prices of one model, in micro-dollars per 1M tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelPrice {
    /// Micro-dollars per 1M uncached input tokens (e.g. $2.50/M -> 2_500_000).
    pub input_per_mtok: Micros,
    /// Micro-dollars per 1M cache-hit input tokens.
    pub cached_input_per_mtok: Micros,
    /// Micro-dollars per 1M output tokens (reasoning tokens included).
    pub output_per_mtok: Micros,
    /// Output tokens reserved when the request gives no cap.
    pub max_output_tokens: u64,
}

impl ModelPrice {
    /// Actual cost of a call, rounded up to the micro-dollar.
    pub fn cost(&self, usage: &Usage) -> Micros {
        // A provider reporting more cached than total tokens is inconsistent;
        // bill every cached token and no uncached ones rather than going negative.
        let uncached = usage.input_tokens.saturating_sub(usage.cached_input_tokens);
        let numerator = i128::from(uncached) * i128::from(self.input_per_mtok)
            + i128::from(usage.cached_input_tokens) * i128::from(self.cached_input_per_mtok)
            + i128::from(usage.output_tokens) * i128::from(self.output_per_mtok);
        ceil_to_micros(numerator)
    }

    /// Upper bound of a call's cost before it is made: every prompt token at
    /// the uncached price plus the full output cap, rounded up.
    pub fn worst_case(&self, prompt_tokens: u64, max_output_tokens: u64) -> Micros {
        let numerator = i128::from(prompt_tokens) * i128::from(self.input_per_mtok)
            + i128::from(max_output_tokens) * i128::from(self.output_per_mtok);
        ceil_to_micros(numerator)
    }

    fn validate(&self, model: &str) -> Result<()> {
        let fields = [
            ("input_per_mtok", self.input_per_mtok),
            ("cached_input_per_mtok", self.cached_input_per_mtok),
            ("output_per_mtok", self.output_per_mtok),
        ];
        for (field, value) in fields {
            if value < 0 {
                return Err(Error::invalid_config(format!(
                    "price of model `{model}`: {field} must be >= 0 micro-dollars per 1M tokens, got {value}"
                )));
            }
        }
        Ok(())
    }
}

/// `numerator` is micro-dollars x 1M tokens; divide by 1M rounding towards
/// +infinity, saturating at the i64 range.
fn ceil_to_micros(numerator: i128) -> Micros {
    let quotient = numerator.div_euclid(TOKENS_PER_MTOK)
        + i128::from(numerator.rem_euclid(TOKENS_PER_MTOK) != 0);
    quotient.clamp(i128::from(Micros::MIN), i128::from(Micros::MAX)) as Micros
}

/// Tokens of one call as billed.
///
/// `input_tokens` counts ALL prompt tokens, cached included, and
/// `cached_input_tokens` is the subset billed at the cached price — the way
/// OpenAI reports `prompt_tokens` / `prompt_tokens_details.cached_tokens`.
/// Anthropic instead reports `input_tokens` without cache reads and writes
/// (`cache_read_input_tokens`, `cache_creation_input_tokens` come
/// separately); the gateway adds them in, see [`Usage::from_anthropic`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub cached_input_tokens: u64,
    pub output_tokens: u64,
}

impl Usage {
    /// Converts Anthropic's usage block. Cache reads become cached input.
    /// Cache writes cost 1.25x the input price, so each counts as 1.25 input
    /// tokens (rounded up) to keep [`ModelPrice::cost`] exact; 1-hour cache
    /// writes (2x) are therefore under-billed by 0.75x input price per token.
    pub fn from_anthropic(
        input_tokens: u64,
        cache_creation_input_tokens: u64,
        cache_read_input_tokens: u64,
        output_tokens: u64,
    ) -> Usage {
        let writes = cache_creation_input_tokens
            .saturating_mul(ANTHROPIC_CACHE_WRITE_PERCENT)
            .div_ceil(100);
        Usage {
            input_tokens: input_tokens
                .saturating_add(writes)
                .saturating_add(cache_read_input_tokens),
            cached_input_tokens: cache_read_input_tokens,
            output_tokens,
        }
    }

    /// Prompt plus output tokens.
    pub fn total_tokens(&self) -> u64 {
        self.input_tokens.saturating_add(self.output_tokens)
    }
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Usage) {
        self.input_tokens = self.input_tokens.saturating_add(other.input_tokens);
        self.cached_input_tokens = self
            .cached_input_tokens
            .saturating_add(other.cached_input_tokens);
        self.output_tokens = self.output_tokens.saturating_add(other.output_tokens);
    }
}

/// Where model prices come from.
pub trait PriceTable: Send + Sync + std::fmt::Debug {
    /// The price of `model`; `ErrorKind::UnknownModel` naming the model when
    /// it is unknown and no default price is set.
    fn price(&self, model: &str) -> Result<ModelPrice>;
    /// Known model names, sorted (for `GET /v1/models`).
    fn models(&self) -> Vec<String>;
}

/// A price table held in memory: built-in list prices, overrides, and an
/// optional default for unknown models.
#[derive(Debug, Clone, Default)]
pub struct StaticPriceTable {
    models: HashMap<String, ModelPrice>,
    default: Option<ModelPrice>,
}

/// Shape of the built-in table and of override files.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceFile {
    #[serde(default)]
    models: BTreeMap<String, ModelPrice>,
    #[serde(default)]
    default: Option<ModelPrice>,
}

const FILE_SHAPE_HINT: &str = "expected a table `models` mapping model names to \
     {input_per_mtok, cached_input_per_mtok, output_per_mtok, max_output_tokens} \
     (integer micro-dollars per 1M tokens, e.g. $2.50 -> 2500000; integer tokens) and an optional `default` of the same shape";

fn builtin_models() -> &'static HashMap<String, ModelPrice> {
    static BUILTIN: OnceLock<HashMap<String, ModelPrice>> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        let file: PriceFile = toml::from_str(include_str!("prices.toml"))
            .expect("the built-in prices.toml is valid (checked by a unit test)");
        file.models.into_iter().collect()
    })
}

impl StaticPriceTable {
    /// List prices of current OpenAI and Anthropic models.
    pub fn builtin() -> Self {
        Self {
            models: builtin_models().clone(),
            default: None,
        }
    }

    /// A table with no models and no default.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The built-in table merged with the overrides in `path` (`.json` or
    /// `.toml`, chosen by extension). Unknown fields are rejected.
    pub fn from_file(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let format = match ext.as_deref() {
            Some("json") => Format::Json,
            Some("toml") => Format::Toml,
            _ => {
                return Err(Error::invalid_config(format!(
                    "price file {}: unsupported extension; name it *.json or *.toml",
                    path.display()
                )));
            }
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::invalid_config(format!("cannot read price file {}", path.display()))
                .with_source(e)
        })?;
        Self::builtin().merge(&text, format, &format!("price file {}", path.display()))
    }

    /// This table with the overrides of a JSON document in the override-file shape.
    pub fn with_overrides_json(self, text: &str) -> Result<Self> {
        self.merge(text, Format::Json, "JSON price overrides")
    }

    /// This table with the overrides of a TOML document in the override-file shape.
    pub fn with_overrides_toml(self, text: &str) -> Result<Self> {
        self.merge(text, Format::Toml, "TOML price overrides")
    }

    /// This table with `model` priced at `price`.
    pub fn with_override(mut self, model: impl Into<String>, price: ModelPrice) -> Self {
        self.models.insert(model.into(), price);
        self
    }

    /// This table pricing unknown models at `price` instead of refusing them.
    pub fn with_default(mut self, price: ModelPrice) -> Self {
        self.default = Some(price);
        self
    }

    /// The known model `model` resolves to and its price: an exact match,
    /// else the longest known name that is a prefix of `model` ending at a
    /// `-` (dated snapshots: `gpt-4o-2024-08-06` -> `gpt-4o`, while
    /// `gpt-4o-mini-2024-07-18` -> `gpt-4o-mini`). The default price does not
    /// apply here.
    pub fn resolve<'a>(&'a self, model: &str) -> Option<(&'a str, ModelPrice)> {
        let lookup = |name: &str| {
            self.models
                .get_key_value(name)
                .map(|(k, v)| (k.as_str(), *v))
        };
        lookup(model).or_else(|| {
            // Cut at each '-' from the right: the first hit is the longest prefix.
            model
                .rmatch_indices('-')
                .find_map(|(i, _)| lookup(&model[..i]))
        })
    }

    fn merge(mut self, text: &str, format: Format, source: &str) -> Result<Self> {
        // serde_path_to_error names the offending key (`models.m.input_per_mtok`),
        // which serde_json's own messages do not.
        let parsed: PriceFile = match format {
            Format::Json => {
                let mut de = serde_json::Deserializer::from_str(text);
                serde_path_to_error::deserialize(&mut de)
                    .map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
            }
            Format::Toml => serde_path_to_error::deserialize(toml::Deserializer::new(text))
                .map_err(|e| (e.path().to_string(), e.into_inner().to_string())),
        }
        .map_err(|(path, e)| {
            // The path is "." or "?" when the error is not inside a key.
            let at = if path == "." || path == "?" {
                String::new()
            } else {
                format!(" at `{path}`")
            };
            Error::invalid_config(format!("{source}{at}: {}; {FILE_SHAPE_HINT}", e.trim_end()))
        })?;
        for (model, price) in &parsed.models {
            if model.trim().is_empty() || model.chars().any(char::is_whitespace) {
                return Err(Error::invalid_config(format!(
                    "{source}: model name {model:?} must be non-empty and contain no whitespace"
                )));
            }
            price.validate(model)?;
        }
        if let Some(default) = &parsed.default {
            default.validate("default")?;
            self.default = Some(*default);
        }
        self.models.extend(parsed.models);
        Ok(self)
    }
}

#[derive(Clone, Copy)]
enum Format {
    Json,
    Toml,
}

impl PriceTable for StaticPriceTable {
    fn price(&self, model: &str) -> Result<ModelPrice> {
        if let Some((_, price)) = self.resolve(model) {
            return Ok(price);
        }
        self.default.ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownModel,
                format!(
                    "model `{model}` has no price: add it to the price table (prices file) \
                     or set a default price"
                ),
            )
        })
    }

    fn models(&self) -> Vec<String> {
        let mut names: Vec<String> = self.models.keys().cloned().collect();
        names.sort();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(input: Micros, cached: Micros, output: Micros, max_out: u64) -> ModelPrice {
        ModelPrice {
            input_per_mtok: input,
            cached_input_per_mtok: cached,
            output_per_mtok: output,
            max_output_tokens: max_out,
        }
    }

    #[test]
    fn cost_rounds_up_to_the_micro_dollar() {
        let p = price(2_500_000, 1_250_000, 10_000_000, 16_384);
        // 1 token at $2.50/M = 2.5 micro-dollars -> 3.
        let one = Usage {
            input_tokens: 1,
            ..Usage::default()
        };
        assert_eq!(p.cost(&one), 3);
        // Exact amounts are not rounded.
        let u = Usage {
            input_tokens: 1_000,
            cached_input_tokens: 0,
            output_tokens: 100,
        };
        assert_eq!(p.cost(&u), 2_500 + 1_000);
        // Cached tokens at the cached price: 600 uncached x 2.5 + 400 x 1.25 + 0.
        let u = Usage {
            input_tokens: 1_000,
            cached_input_tokens: 400,
            output_tokens: 0,
        };
        assert_eq!(p.cost(&u), 1_500 + 500);
        // 3 x 0.15 + 1 x 0.6 = 1.05 -> 2.
        let mini = price(150_000, 75_000, 600_000, 16_384);
        let u = Usage {
            input_tokens: 3,
            cached_input_tokens: 0,
            output_tokens: 1,
        };
        assert_eq!(mini.cost(&u), 2);
        assert_eq!(mini.cost(&Usage::default()), 0);
    }

    #[test]
    fn cost_survives_inconsistent_and_huge_usage() {
        let p = price(2_500_000, 1_250_000, 10_000_000, 16_384);
        let u = Usage {
            input_tokens: 10,
            cached_input_tokens: 20,
            output_tokens: 0,
        };
        assert_eq!(
            p.cost(&u),
            25,
            "all 20 cached tokens billed, no negative uncached"
        );
        let huge = Usage {
            input_tokens: u64::MAX,
            cached_input_tokens: 0,
            output_tokens: u64::MAX,
        };
        assert_eq!(
            p.cost(&huge),
            Micros::MAX,
            "saturates instead of overflowing"
        );
    }

    #[test]
    fn ceil_handles_signs() {
        assert_eq!(ceil_to_micros(0), 0);
        assert_eq!(ceil_to_micros(1), 1);
        assert_eq!(ceil_to_micros(1_000_000), 1);
        assert_eq!(ceil_to_micros(1_000_001), 2);
        assert_eq!(ceil_to_micros(-1), 0);
        assert_eq!(ceil_to_micros(-1_000_001), -1);
        assert_eq!(ceil_to_micros(i128::MIN / 2), Micros::MIN);
    }

    #[test]
    fn worst_case_math() {
        let p = price(2_500_000, 1_250_000, 10_000_000, 16_384);
        // 1000 x 2.5 + 16384 x 10 = 2_500 + 163_840.
        assert_eq!(p.worst_case(1_000, 16_384), 166_340);
        // 1 x 2.5 -> 3 (rounded up).
        assert_eq!(p.worst_case(1, 0), 3);
        assert_eq!(p.worst_case(0, 0), 0);
        // Worst case never below the actual cost of the same tokens.
        let u = Usage {
            input_tokens: 777,
            cached_input_tokens: 300,
            output_tokens: 1_234,
        };
        assert!(p.worst_case(777, 1_234) >= p.cost(&u));
        assert_eq!(p.worst_case(u64::MAX, u64::MAX), Micros::MAX);
    }

    #[test]
    fn anthropic_usage_folds_cache_tokens_in() {
        let u = Usage::from_anthropic(100, 40, 1_000, 50);
        assert_eq!(u.input_tokens, 100 + 50 + 1_000);
        assert_eq!(u.cached_input_tokens, 1_000);
        assert_eq!(u.output_tokens, 50);
        // Sonnet: 100 x 3 + 40 x 3.75 + 1000 x 0.3 + 50 x 15 = 300 + 150 + 300 + 750.
        let sonnet = StaticPriceTable::builtin()
            .price("claude-sonnet-4-5")
            .unwrap();
        assert_eq!(sonnet.cost(&u), 1_500);
        // Odd cache-write counts round up: 1 write -> 2 token-equivalents.
        assert_eq!(Usage::from_anthropic(0, 1, 0, 0).input_tokens, 2);
        let mut total = Usage::default();
        total += u;
        total += u;
        assert_eq!(total.total_tokens(), 2 * (1_150 + 50));
    }

    #[test]
    fn builtin_table_is_complete_and_sane() {
        let table = StaticPriceTable::builtin();
        let required = [
            "gpt-4o",
            "gpt-4o-mini",
            "gpt-4.1",
            "gpt-4.1-mini",
            "gpt-4.1-nano",
            "gpt-5",
            "gpt-5-mini",
            "gpt-5-nano",
            "o1",
            "o3",
            "o3-mini",
            "o4-mini",
            "gpt-4-turbo",
            "gpt-3.5-turbo",
            "text-embedding-3-small",
            "text-embedding-3-large",
            "text-embedding-ada-002",
            "claude-opus-4-1",
            "claude-opus-4",
            "claude-sonnet-4-5",
            "claude-sonnet-4",
            "claude-3-7-sonnet",
            "claude-haiku-4-5",
            "claude-3-5-haiku",
            "claude-3-7-sonnet-latest",
            "claude-3-5-haiku-latest",
        ];
        let models = table.models();
        for name in required {
            assert!(
                models.iter().any(|m| m == name),
                "missing builtin price for {name}"
            );
        }
        assert!(models.windows(2).all(|w| w[0] < w[1]), "models() is sorted");
        for name in &models {
            let p = table.price(name).unwrap();
            p.validate(name).unwrap();
            let embedding = name.starts_with("text-embedding");
            if embedding {
                assert_eq!((p.output_per_mtok, p.max_output_tokens), (0, 0), "{name}");
            } else {
                assert!(
                    p.output_per_mtok >= p.input_per_mtok,
                    "{name}: output < input"
                );
                assert!(
                    p.max_output_tokens >= 4_096,
                    "{name}: implausible max output"
                );
            }
            assert!(p.input_per_mtok > 0, "{name}: free input");
            assert!(
                p.cached_input_per_mtok <= p.input_per_mtok,
                "{name}: cache dearer"
            );
            // No list price is above $1000 per 1M tokens; catches a slipped digit.
            assert!(
                p.output_per_mtok <= 1_000_000_000,
                "{name}: implausible price"
            );
        }
        let gpt4o = table.price("gpt-4o").unwrap();
        assert_eq!(gpt4o, price(2_500_000, 1_250_000, 10_000_000, 16_384));
    }

    #[test]
    fn prefix_lookup_prefers_the_longest_dash_bounded_name() {
        let table = StaticPriceTable::builtin();
        let resolve = |m: &str| table.resolve(m).map(|(name, _)| name.to_string());
        assert_eq!(resolve("gpt-4o").as_deref(), Some("gpt-4o"));
        assert_eq!(resolve("gpt-4o-2024-08-06").as_deref(), Some("gpt-4o"));
        assert_eq!(resolve("gpt-4o-mini").as_deref(), Some("gpt-4o-mini"));
        assert_eq!(
            resolve("gpt-4o-mini-2024-07-18").as_deref(),
            Some("gpt-4o-mini")
        );
        // An exact snapshot entry beats its base model.
        assert_eq!(
            resolve("gpt-4o-2024-05-13").as_deref(),
            Some("gpt-4o-2024-05-13")
        );
        assert_eq!(
            resolve("claude-sonnet-4-5-20250929").as_deref(),
            Some("claude-sonnet-4-5")
        );
        assert_eq!(
            resolve("claude-opus-4-20250514").as_deref(),
            Some("claude-opus-4")
        );
        assert_eq!(
            resolve("claude-opus-4-1-20250805").as_deref(),
            Some("claude-opus-4-1")
        );
        assert_eq!(resolve("o3-mini-2025-01-31").as_deref(), Some("o3-mini"));
        assert_eq!(resolve("o3-pro-2025-06-10").as_deref(), Some("o3-pro"));
        assert_eq!(
            resolve("gpt-4-turbo-2024-04-09").as_deref(),
            Some("gpt-4-turbo")
        );
        // Prefixes must end at a '-': gpt-4.1 is not gpt-4, gpt-4o is not gpt-4.
        assert_eq!(resolve("gpt-4.1-2025-04-14").as_deref(), Some("gpt-4.1"));
        assert_eq!(resolve("gpt-4.5-preview"), None);
        assert_eq!(resolve("gpt-4ox"), None);
        assert_eq!(resolve(""), None);
        assert_eq!(resolve("-"), None);

        // Longest prefix wins only when it exists; without gpt-4o-mini the
        // snapshot falls back to gpt-4o.
        let only_4o = StaticPriceTable::empty().with_override("gpt-4o", price(1, 1, 1, 1));
        assert_eq!(
            only_4o.resolve("gpt-4o-mini-2024-07-18").map(|(n, _)| n),
            Some("gpt-4o")
        );
    }

    #[test]
    fn unknown_model_errors_unless_a_default_is_set() {
        let table = StaticPriceTable::builtin();
        let err = table.price("llama-3-70b").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownModel);
        assert!(err.message().contains("llama-3-70b"), "{}", err.message());

        let fallback = price(1_000_000, 1_000_000, 2_000_000, 4_096);
        let table = table.with_default(fallback);
        assert_eq!(table.price("llama-3-70b").unwrap(), fallback);
        // Known models keep their own price.
        assert_ne!(table.price("gpt-4o").unwrap(), fallback);

        let empty = StaticPriceTable::empty();
        assert!(empty.models().is_empty());
        assert_eq!(
            empty.price("gpt-4o").unwrap_err().kind(),
            ErrorKind::UnknownModel
        );
    }

    #[test]
    fn with_override_replaces_and_adds() {
        let p = price(1, 2, 3, 4);
        let table = StaticPriceTable::builtin()
            .with_override("gpt-4o", p)
            .with_override("my-model", p);
        assert_eq!(table.price("gpt-4o").unwrap(), p);
        assert_eq!(table.price("gpt-4o-2024-08-06").unwrap(), p);
        assert_eq!(table.price("my-model").unwrap(), p);
        assert!(table.models().contains(&"my-model".to_string()));
    }

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn override_file_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "prices.json",
            r#"{"models": {"gpt-4o": {"input_per_mtok": 1, "cached_input_per_mtok": 1,
                 "output_per_mtok": 2, "max_output_tokens": 10},
               "acme-llm": {"input_per_mtok": 5, "cached_input_per_mtok": 5,
                 "output_per_mtok": 6, "max_output_tokens": 20}},
               "default": {"input_per_mtok": 7, "cached_input_per_mtok": 7,
                 "output_per_mtok": 8, "max_output_tokens": 30}}"#,
        );
        let table = StaticPriceTable::from_file(&path).unwrap();
        assert_eq!(table.price("gpt-4o").unwrap(), price(1, 1, 2, 10));
        assert_eq!(table.price("acme-llm").unwrap(), price(5, 5, 6, 20));
        assert_eq!(table.price("who-knows").unwrap(), price(7, 7, 8, 30));
        // Built-in entries that were not overridden remain.
        assert_eq!(
            table.price("gpt-4o-mini").unwrap(),
            StaticPriceTable::builtin().price("gpt-4o-mini").unwrap()
        );
    }

    #[test]
    fn override_file_toml() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "prices.TOML",
            r#"
            [models."claude-sonnet-4-5"]
            input_per_mtok = 2_000_000
            cached_input_per_mtok = 200_000
            output_per_mtok = 10_000_000
            max_output_tokens = 1_000
            "#,
        );
        let table = StaticPriceTable::from_file(&path).unwrap();
        let p = table.price("claude-sonnet-4-5-20250929").unwrap();
        assert_eq!(p, price(2_000_000, 200_000, 10_000_000, 1_000));
        assert_eq!(
            table.price("nope").unwrap_err().kind(),
            ErrorKind::UnknownModel
        );
    }

    #[test]
    fn override_file_errors_say_what_to_fix() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (
                "typo.json",
                r#"{"models": {"m": {"input_per_mtok": 1, "cached_input_per_mtok": 1,
                   "output_per_mtok": 1, "max_output_tokens": 1, "ouput": 3}}}"#,
                "ouput",
            ),
            (
                "typo.toml",
                "[models.m]\ninput_per_mtok = 1\ncached_input_per_mtok = 1\n\
                 output_per_mtok = 1\nmax_output_tokens = 1\nmax_tokens = 5\n",
                "max_tokens",
            ),
            ("top.toml", "[modles.m]\ninput_per_mtok = 1\n", "modles"),
            (
                "missing.json",
                r#"{"models": {"m": {"input_per_mtok": 1}}}"#,
                "cached_input_per_mtok",
            ),
            (
                "float.json",
                r#"{"models": {"m": {"input_per_mtok": 2.5, "cached_input_per_mtok": 1,
                   "output_per_mtok": 1, "max_output_tokens": 1}}}"#,
                "input_per_mtok",
            ),
            (
                "negative.toml",
                "[models.m]\ninput_per_mtok = -1\ncached_input_per_mtok = 1\n\
                 output_per_mtok = 1\nmax_output_tokens = 1\n",
                ">= 0",
            ),
            (
                "space.json",
                r#"{"models": {"my model": {"input_per_mtok": 1, "cached_input_per_mtok": 1,
                   "output_per_mtok": 1, "max_output_tokens": 1}}}"#,
                "whitespace",
            ),
            ("broken.json", "{not json", "price"),
            ("prices.yaml", "models: {}", "*.json or *.toml"),
        ];
        for (name, text, needle) in cases {
            let path = write(&dir, name, text);
            let err = StaticPriceTable::from_file(&path).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidConfig, "{name}");
            assert!(
                err.message().contains(needle),
                "{name}: {:?} does not mention {needle:?}",
                err.message()
            );
        }
        let missing = StaticPriceTable::from_file(&dir.path().join("absent.json")).unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::InvalidConfig);
        assert!(missing.message().contains("absent.json"));
    }

    #[test]
    fn overrides_from_strings() {
        let table = StaticPriceTable::empty()
            .with_overrides_json(
                r#"{"models": {"a": {"input_per_mtok": 1, "cached_input_per_mtok": 1,
                     "output_per_mtok": 1, "max_output_tokens": 1}}}"#,
            )
            .unwrap()
            .with_overrides_toml(
                "[default]\ninput_per_mtok = 9\ncached_input_per_mtok = 9\n\
                 output_per_mtok = 9\nmax_output_tokens = 9\n",
            )
            .unwrap();
        assert_eq!(table.models(), ["a"]);
        assert_eq!(table.price("zzz").unwrap(), price(9, 9, 9, 9));
        let err = StaticPriceTable::empty()
            .with_overrides_json(r#"{"extra": 1}"#)
            .unwrap_err();
        assert!(err.message().contains("extra"), "{}", err.message());
    }

    #[test]
    fn model_price_serde_round_trip() {
        let p = price(2_500_000, 1_250_000, 10_000_000, 16_384);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<ModelPrice>(&json).unwrap(), p);
        let usage = Usage {
            input_tokens: 1,
            cached_input_tokens: 0,
            output_tokens: 2,
        };
        let json = serde_json::to_string(&usage).unwrap();
        assert_eq!(serde_json::from_str::<Usage>(&json).unwrap(), usage);
    }
}
