//! `NativeRuntime`: one iron-core [`Runtime`] owned by a JavaScript object.
//! Starting, checking tools with DNS/approval, and shutting down run on
//! napi's Tokio runtime; only the cheap reads run on the JavaScript thread.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use iron_core::budget::BudgetSnapshot;
use iron_core::provider::ProviderKind;
use iron_core::tools::{FnApprover, ToolDecision};
use iron_core::{Error, Runtime, RuntimeOptions};
use napi::bindgen_prelude::{FnArgs, Function, Promise};
use napi::threadsafe_function::ThreadsafeFunction;
use napi::{Result, Status};
use napi_derive::napi;
use serde_json::Value;

use crate::config;
use crate::errors::{INVALID_OPTIONS, tagged, to_napi};

/// `approver(tool, args) -> Promise<boolean>` as callable from any thread.
/// Weak: a pending approver never keeps Node alive on its own.
type ApproverArgs = FnArgs<(String, Value)>;
type ApproverJs<'a> = Function<'a, ApproverArgs, Promise<bool>>;
type ApproverFn = ThreadsafeFunction<
    FnArgs<(String, Value)>,
    Promise<bool>,
    FnArgs<(String, Value)>,
    Status,
    false,
    true,
>;

enum State {
    /// Configured, not started yet.
    Ready(Box<RuntimeOptions>, HashMap<ProviderKind, String>),
    Starting,
    Running(Arc<Runtime>),
    /// Shut down; the final books.
    Closed(BudgetSnapshot),
}

/// The budget in micro-dollars (integers: money is never a float here).
#[napi(object)]
pub struct BudgetMicros {
    pub granted: i64,
    pub spent: i64,
    pub reserved: i64,
    pub available: i64,
    pub returned: i64,
}

impl From<BudgetSnapshot> for BudgetMicros {
    fn from(s: BudgetSnapshot) -> Self {
        Self {
            granted: s.granted,
            spent: s.spent,
            reserved: s.reserved,
            available: s.available,
            returned: s.returned,
        }
    }
}

/// The outcome of a tool check (`rule` names what refused it).
#[napi(object)]
pub struct NativeToolDecision {
    pub tool: String,
    pub allowed: bool,
    pub reason: Option<String>,
    pub rule: Option<String>,
}

impl From<ToolDecision> for NativeToolDecision {
    fn from(d: ToolDecision) -> Self {
        Self {
            tool: d.tool,
            allowed: d.allowed,
            reason: d.reason,
            rule: d.rule.map(str::to_string),
        }
    }
}

#[napi]
pub struct NativeRuntime {
    state: Arc<Mutex<State>>,
    approver: Option<Arc<ApproverFn>>,
}

#[napi]
impl NativeRuntime {
    /// `config_json`: the options in iron-core's field names; `keys`:
    /// provider name -> real key. Validates everything that can be checked
    /// without starting (the tool policy compiles here).
    #[napi(
        constructor,
        ts_args_type = "configJson: string, keys: Record<string, string>, approver?: (tool: string, args: unknown) => Promise<boolean>"
    )]
    pub fn new(
        config_json: String,
        keys: HashMap<String, String>,
        approver: Option<ApproverJs<'_>>,
    ) -> Result<Self> {
        let options = RuntimeOptions::from_json(&config_json)
            .map_err(|e| tagged(INVALID_OPTIONS, INVALID_OPTIONS, e.message()))?;
        options.validate().map_err(to_napi)?;
        let mut provider_keys = HashMap::new();
        for (name, key) in keys {
            let kind = serde_json::from_value::<ProviderKind>(Value::String(name.clone()))
                .map_err(|_| {
                    tagged(
                        INVALID_OPTIONS,
                        INVALID_OPTIONS,
                        &format!("unknown provider `{name}` in apiKeys: use openai or anthropic"),
                    )
                })?;
            provider_keys.insert(kind, key);
        }
        let approver = match approver {
            Some(f) => Some(Arc::new(
                f.build_threadsafe_function::<FnArgs<(String, Value)>>()
                    .callee_handled::<false>()
                    .weak::<true>()
                    .build()?,
            )),
            None => None,
        };
        Ok(Self {
            state: Arc::new(Mutex::new(State::Ready(Box::new(options), provider_keys))),
            approver,
        })
    }

    /// Starts the gateway (idempotent while running).
    #[napi]
    pub async fn start(&self) -> Result<()> {
        let (options, keys) = {
            let mut state = lock(&self.state);
            match std::mem::replace(&mut *state, State::Starting) {
                State::Ready(options, keys) => (options, keys),
                other => {
                    let result = match &other {
                        State::Running(_) => Ok(()),
                        State::Starting => Err(closed_error("the runtime is already starting")),
                        _ => Err(closed_error("this runtime is closed; create a new one")),
                    };
                    *state = other;
                    return result;
                }
            }
        };
        let mut builder = config::builder(*options, keys);
        if let Some(tsfn) = &self.approver {
            let tsfn = tsfn.clone();
            builder = builder.approver(Arc::new(FnApprover::new("js", move |tool, args| {
                let tsfn = tsfn.clone();
                async move {
                    // Any failure to ask (callback threw, runtime closing) is a denial.
                    match tsfn.call_async(FnArgs::from((tool, args))).await {
                        Ok(promise) => promise.await.unwrap_or(false),
                        Err(_) => false,
                    }
                }
            })));
        }
        match builder.start().await {
            Ok(runtime) => {
                *lock(&self.state) = State::Running(Arc::new(runtime));
                Ok(())
            }
            Err(e) => {
                *lock(&self.state) = State::Closed(BudgetSnapshot::default());
                Err(to_napi(e))
            }
        }
    }

    #[napi(getter)]
    pub fn gateway_url(&self) -> Result<String> {
        Ok(self.running()?.gateway_url().to_string())
    }

    /// `[name, value]` pairs that point the official clients at the gateway.
    #[napi]
    pub fn env_vars(&self) -> Result<Vec<Vec<String>>> {
        Ok(self
            .running()?
            .env_vars()
            .into_iter()
            .map(|(k, v)| vec![k, v])
            .collect())
    }

    #[napi(getter)]
    pub fn placeholder_key(&self) -> Result<String> {
        Ok(self.running()?.placeholder_key().to_string())
    }

    #[napi(getter)]
    pub fn closed(&self) -> bool {
        matches!(*lock(&self.state), State::Closed(_))
    }

    /// The books; after close, the final ones.
    #[napi]
    pub fn budget(&self) -> Result<BudgetMicros> {
        match &*lock(&self.state) {
            State::Running(rt) => Ok(rt.budget().into()),
            State::Closed(s) => Ok((*s).into()),
            _ => Ok(BudgetSnapshot::default().into()),
        }
    }

    /// Micro-dollars still available (local mode), `null` when not running.
    #[napi]
    pub fn remaining_micros(&self) -> Option<i64> {
        match &*lock(&self.state) {
            State::Running(rt) => rt.remaining(),
            _ => None,
        }
    }

    /// Recent events as a JSON array, oldest first.
    #[napi]
    pub fn events_json(&self) -> Result<String> {
        let events = self.running()?.events();
        serde_json::to_string(&events).map_err(|e| napi::Error::from_reason(e.to_string()))
    }

    /// The fast path: no DNS look-ups, no waiting for an approver. Runs on
    /// the JavaScript thread (it is microseconds).
    #[napi]
    pub fn check_tool_sync(&self, tool: String, args: Value) -> Result<NativeToolDecision> {
        Ok(self.running()?.check_tool_sync(&tool, &args).into())
    }

    /// The full check (DNS for URL arguments, the approver) on Tokio.
    #[napi]
    pub async fn check_tool(&self, tool: String, args: Value) -> Result<NativeToolDecision> {
        let runtime = self.running()?;
        Ok(runtime.check_tool(&tool, &args).await.into())
    }

    /// Stops the gateway, settles the budget; returns the final books.
    /// Idempotent.
    #[napi]
    pub async fn close(&self) -> Result<BudgetMicros> {
        let runtime = {
            let mut state = lock(&self.state);
            match std::mem::replace(&mut *state, State::Closed(BudgetSnapshot::default())) {
                State::Running(rt) => rt,
                State::Closed(s) => {
                    *state = State::Closed(s);
                    return Ok(s.into());
                }
                _ => return Ok(BudgetSnapshot::default().into()),
            }
        };
        // `shutdown` needs the runtime by value; a tool check still in flight
        // holds a clone, so wait for it (it is bounded by the approval timeout).
        let mut runtime = runtime;
        let runtime = loop {
            match Arc::try_unwrap(runtime) {
                Ok(rt) => break rt,
                Err(shared) => {
                    runtime = shared;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
        };
        let last = runtime.budget();
        let result = runtime.shutdown().await;
        let books = result.as_ref().copied().unwrap_or(last);
        *lock(&self.state) = State::Closed(books);
        result.map(Into::into).map_err(to_napi)
    }

    fn running(&self) -> Result<Arc<Runtime>> {
        match &*lock(&self.state) {
            State::Running(rt) => Ok(rt.clone()),
            State::Closed(_) => Err(closed_error("this runtime is closed; create a new one")),
            _ => Err(closed_error(
                "the runtime is not started: `await runtime.start()` (or use runtime.run) first",
            )),
        }
    }
}

fn closed_error(message: &str) -> napi::Error {
    to_napi(Error::invalid_config(message))
}

/// The state is only ever held for a few instructions; a poisoned lock
/// (a panic elsewhere) still holds a consistent state.
fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}
