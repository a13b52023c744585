//! Fallback chains: when a model's provider fails (after retries) or its
//! breaker is open, the call moves to the next target. Targets must speak
//! the same wire format as the request; the gateway checks that when it
//! resolves a provider name.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FallbackTarget {
    /// A provider name registered with the runtime (`openai`, `anthropic`, or a custom one).
    pub provider: String,
    pub model: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FallbackChains {
    chains: HashMap<String, Vec<FallbackTarget>>,
}

impl FallbackChains {
    pub fn new() -> Self {
        Self::default()
    }

    /// After `model` fails, try `targets` in order.
    pub fn add(&mut self, model: impl Into<String>, targets: Vec<FallbackTarget>) {
        self.chains.insert(model.into(), targets);
    }

    pub fn for_model(&self, model: &str) -> &[FallbackTarget] {
        self.chains.get(model).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn is_empty(&self) -> bool {
        self.chains.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<FallbackTarget>)> {
        self.chains.iter()
    }
}
