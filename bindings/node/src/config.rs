//! The runtime options the JavaScript layer sends as JSON (already in
//! iron-core's snake_case field names) onto iron-core's builder. Parsing,
//! validation and their messages are iron-core's [`RuntimeOptions`]; this
//! only adds what is particular to Node: where provider keys and URLs come from.

use std::collections::HashMap;
use std::sync::Arc;

use iron_core::provider::ProviderKind;
use iron_core::secrets::{Secret, StaticSecrets, is_placeholder};
use iron_core::{RuntimeBuilder, RuntimeOptions};

/// The builder for these options. Local mode's provider keys come from the
/// caller (read from `process.env` on the JavaScript thread), and provider
/// URLs default to the public APIs: this process's environment is never
/// read on another thread. Remote mode's keys come from the server.
pub fn builder(mut options: RuntimeOptions, keys: HashMap<ProviderKind, String>) -> RuntimeBuilder {
    for kind in ProviderKind::ALL {
        options
            .upstreams
            .entry(kind)
            .or_insert_with(|| kind.default_upstream().to_string());
    }
    let local = options.remote.is_none();
    let builder = RuntimeBuilder::from_options(options);
    if !local {
        return builder;
    }
    let mut secrets = StaticSecrets::new();
    for (kind, key) in keys {
        if !key.is_empty() && !is_placeholder(&key) {
            secrets = secrets.with_key(kind, Secret::new(key));
        }
    }
    builder.secrets(Arc::new(secrets))
}
