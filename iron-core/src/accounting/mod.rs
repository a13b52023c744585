//! Accounting: token counting per model family (tiktoken-compatible), the
//! price table, the worst-case cost of a call before it is made, and the
//! actual cost from the provider's usage after it.
//!
//! Flow in the gateway: [`estimate_prompt`] gives prompt tokens and the output
//! cap; [`ModelPrice::worst_case`] turns them into the amount to reserve;
//! after the call [`ModelPrice::cost`] of the reported [`Usage`] (or of
//! [`count_output_text`] for streams without usage) is committed.

mod merge;
mod pretokenize;
pub mod prices;
pub mod prompt;
pub mod tokenizer;

pub use prices::{ModelPrice, PriceTable, StaticPriceTable, Usage};
pub use prompt::{ApiKind, PromptEstimate, count_output_text, estimate_prompt};
pub use tokenizer::{Encoding, Tokenizer, encoding_for_model};
