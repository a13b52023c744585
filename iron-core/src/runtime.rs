//! [`Runtime`]: the one object that ties the engine together. It starts the
//! loopback gateway, owns the budget accountant and the event sinks, and
//! tells a binding which environment variables point an agent at it.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::accounting::{PriceTable, StaticPriceTable};
use crate::budget::{Accountant, BudgetAuthority, BudgetSnapshot, LocalAuthority};
use crate::error::{Error, Result};
use crate::events::{Event, EventSink, FanoutSink, JsonLinesSink, MemorySink};
use crate::gateway::Guards;
use crate::gateway::{DEFAULT_MAX_BODY_BYTES, Gateway, GatewayConfig, new_placeholder};
use crate::money::{Micros, usd_to_micros};
use crate::provider::{HttpProvider, Provider, ProviderKind};
use crate::reliability::{BreakerConfig, FallbackChains, FallbackTarget, RetryPolicy};
use crate::remote::{
    ControlListener, Handshake, RemoteAuthority, RemoteClient, RemoteEventSink, RemoteSecrets,
};
use crate::safety::injection::InjectionDetector;
use crate::safety::{Action, Detector, Redactor, RuleDetector, SafetyPolicy};
use crate::secrets::{Secret, SecretSource, StaticSecrets};
use crate::tools::{Approver, OutputScanner, ToolDecision, ToolGuard, ToolPolicyConfig};

/// Default lease tranche asked of the authority: $0.50, as the server's default.
pub const DEFAULT_TRANCHE: Micros = 500_000;

/// How many recent events a runtime keeps in memory for `events()`.
const MEMORY_EVENTS: usize = 10_000;

/// Builds a [`Runtime`]. Everything has a local-mode default: provider keys
/// from the environment, public provider URLs (or `IRON_*_UPSTREAM_URL`),
/// the built-in price table.
#[derive(Debug, Default)]
pub struct RuntimeBuilder {
    budget: Option<Micros>,
    budget_file: Option<PathBuf>,
    authority: Option<Arc<dyn BudgetAuthority>>,
    tranche: Option<Micros>,
    secrets: Option<Arc<dyn SecretSource>>,
    upstreams: HashMap<ProviderKind, String>,
    extra_providers: Vec<Arc<dyn Provider>>,
    prices: Option<Arc<dyn PriceTable>>,
    sinks: Vec<Arc<dyn EventSink>>,
    event_log: Option<PathBuf>,
    retry: Option<RetryPolicy>,
    breaker: Option<BreakerConfig>,
    fallbacks: FallbackChains,
    allowed_models: Option<Vec<String>>,
    max_body_bytes: Option<usize>,
    bind: Option<SocketAddr>,
    guards_off: bool,
    safety: Option<SafetyPolicy>,
    injection: Option<(Option<f32>, Action)>,
    tools: Option<ToolPolicyConfig>,
    tool_call_action: Option<Action>,
    approver: Option<Arc<dyn Approver>>,
    /// Server URL and IC key: remote mode.
    remote: Option<(String, Secret)>,
    exported_keys: Vec<Secret>,
    invalid: Option<Error>,
}

/// Environment variables of remote mode.
pub const IC_KEY_ENV: &str = "IC_KEY";
pub const SERVER_URL_ENV: &str = "IRON_SERVER_URL";

/// How long shutdown waits for queued events to reach the server.
const EVENT_FLUSH_TIMEOUT: Duration = Duration::from_secs(10);

impl RuntimeBuilder {
    /// Remote mode: the budget, provider keys and policy come from
    /// iron-server. `start()` opens a session with the developer key
    /// (`ic_…`) and fails (closed) if the server refuses or cannot be reached.
    /// The server's policy (allowed models, PII mode, injection threshold,
    /// tool allow/deny, lease tranche) wins over the builder's settings;
    /// a provider URL the server sends wins over [`Self::upstream`].
    pub fn remote(mut self, server_url: impl Into<String>, ic_key: impl Into<String>) -> Self {
        self.remote = Some((server_url.into(), Secret::new(ic_key.into())));
        self
    }

    /// [`Self::remote`] from `IRON_SERVER_URL` and `IC_KEY`; `start()` fails
    /// with `InvalidConfig` naming the variable that is missing.
    pub fn from_env_remote() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        match (var(SERVER_URL_ENV), var(IC_KEY_ENV)) {
            (Some(url), Some(key)) => Self::default().remote(url.trim(), key.trim()),
            (url, _) => Self {
                invalid: Some(Error::invalid_config(format!(
                    "remote mode needs {} set",
                    if url.is_none() {
                        SERVER_URL_ENV
                    } else {
                        IC_KEY_ENV
                    }
                ))),
                ..Self::default()
            },
        }
    }

    /// A fixed local budget in USD (self-managed mode).
    pub fn budget_usd(mut self, usd: f64) -> Self {
        match usd_to_micros(usd) {
            Ok(m) => self.budget = Some(m),
            Err(e) => self.invalid = Some(e),
        }
        self
    }

    pub fn budget_micros(mut self, micros: Micros) -> Self {
        if micros < 0 {
            self.invalid = Some(Error::invalid_config("budget must be >= 0"));
        }
        self.budget = Some(micros);
        self
    }

    /// Persist the local budget's spend in this file, so a restarted agent
    /// continues where it stopped.
    pub fn budget_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.budget_file = Some(path.into());
        self
    }

    /// Another budget authority (the server client in remote mode).
    pub fn authority(mut self, authority: Arc<dyn BudgetAuthority>) -> Self {
        self.authority = Some(authority);
        self
    }

    /// How much to ask the authority for at a time.
    pub fn tranche_micros(mut self, micros: Micros) -> Self {
        self.tranche = Some(micros);
        self
    }

    pub fn secrets(mut self, secrets: Arc<dyn SecretSource>) -> Self {
        self.secrets = Some(secrets);
        self
    }

    /// The real provider's URL (OpenAI-compatible servers, tests).
    pub fn upstream(mut self, kind: ProviderKind, url: impl Into<String>) -> Self {
        self.upstreams.insert(kind, url.into());
        self
    }

    /// An extra provider (e.g. a backup OpenAI-compatible endpoint) for fallbacks.
    pub fn provider(mut self, provider: Arc<dyn Provider>) -> Self {
        self.extra_providers.push(provider);
        self
    }

    pub fn prices(mut self, prices: Arc<dyn PriceTable>) -> Self {
        self.prices = Some(prices);
        self
    }

    pub fn event_sink(mut self, sink: Arc<dyn EventSink>) -> Self {
        self.sinks.push(sink);
        self
    }

    /// Append every event as a JSON line to this file.
    pub fn event_log(mut self, path: impl Into<PathBuf>) -> Self {
        self.event_log = Some(path.into());
        self
    }

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    pub fn breaker(mut self, config: BreakerConfig) -> Self {
        self.breaker = Some(config);
        self
    }

    /// After `model` fails, try these targets in order.
    pub fn fallback(mut self, model: impl Into<String>, targets: Vec<FallbackTarget>) -> Self {
        self.fallbacks.add(model, targets);
        self
    }

    /// Only these model patterns (`*` wildcard) may be called.
    pub fn allowed_models(mut self, patterns: Vec<String>) -> Self {
        self.allowed_models = Some(patterns);
        self
    }

    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = Some(bytes);
        self
    }

    /// Where the gateway listens; default `127.0.0.1:0` (a random port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = Some(addr);
        self
    }

    /// What to do with PII and secrets (default: secrets blocked in
    /// prompts and redacted in responses, PII redacted).
    pub fn safety_policy(mut self, policy: SafetyPolicy) -> Self {
        self.safety = Some(policy);
        self
    }

    /// Injection check threshold (`None`: the detector's default) and action
    /// (`Block` or `Alert`; `Allow` turns the check off). Default: block.
    pub fn injection(mut self, threshold: Option<f32>, action: Action) -> Self {
        self.injection = Some((threshold, action));
        self
    }

    /// The tool policy for `check_tool` and for tool calls models request.
    pub fn tool_policy(mut self, config: ToolPolicyConfig) -> Self {
        self.tools = Some(config);
        self
    }

    /// What the gateway does with a model's tool call the policy denies:
    /// `Block` (default: the agent gets a `tool_denied` error) or `Alert`.
    pub fn tool_call_action(mut self, action: Action) -> Self {
        self.tool_call_action = Some(action);
        self
    }

    /// Who approves tools listed in the policy's `require_approval`.
    pub fn approver(mut self, approver: Arc<dyn Approver>) -> Self {
        self.approver = Some(approver);
        self
    }

    /// A real provider key the binding puts into the agent's environment
    /// (opt-in export mode, for tools that insist on a real key): the
    /// gateway accepts it like the placeholder, so the official clients
    /// reading it are still governed.
    pub fn accept_exported_key(mut self, key: Secret) -> Self {
        self.exported_keys.push(key);
        self
    }

    /// Turns every safety guard off (accounting and budget still apply).
    pub fn without_guards(mut self) -> Self {
        self.guards_off = true;
        self
    }

    /// Starts the gateway on the current Tokio runtime.
    pub async fn start(mut self) -> Result<Runtime> {
        if let Some(e) = self.invalid {
            return Err(e);
        }
        let Some((url, key)) = self.remote.take() else {
            return self.start_with(None).await;
        };
        if self.authority.is_some() || self.budget.is_some() {
            return Err(Error::invalid_config(
                "remote mode takes the budget from the server; do not also set a local budget or authority",
            ));
        }
        let client = RemoteClient::new(&url, key)?;
        let handshake = client.handshake().await?;
        let session_id = handshake.session_id.clone();
        let started = self.start_with(Some((client.clone(), handshake))).await;
        if started.is_err() {
            // Do not leave the session open on the server.
            let _ = client.close_session(&session_id).await;
        }
        started
    }

    async fn start_with(mut self, remote: Option<(RemoteClient, Handshake)>) -> Result<Runtime> {
        if let Some((_, h)) = &remote {
            self.apply_server_policy(h);
        }
        let mut local = None;
        let authority: Arc<dyn BudgetAuthority> = match (self.authority, self.budget) {
            _ if remote.is_some() => {
                let (client, h) = remote.as_ref().expect("checked");
                Arc::new(RemoteAuthority::new(
                    client.clone(),
                    h.session_id.clone(),
                    Duration::from_secs(h.lease.ttl_secs),
                ))
            }
            (Some(a), None) => a,
            (Some(_), Some(_)) => {
                return Err(Error::invalid_config(
                    "give either a local budget or a budget authority, not both",
                ));
            }
            (None, Some(budget)) => {
                let authority = Arc::new(match &self.budget_file {
                    Some(path) => LocalAuthority::persistent(path.clone(), budget)?,
                    None => LocalAuthority::new(budget),
                });
                local = Some(authority.clone());
                authority
            }
            (None, None) => {
                return Err(Error::invalid_config(
                    "no budget: set a local budget (budget_usd) or a budget authority",
                ));
            }
        };
        let accountant = Arc::new(Accountant::new(
            authority,
            self.tranche.unwrap_or(DEFAULT_TRANCHE),
        ));
        let secrets: Arc<dyn SecretSource> = match (&remote, self.secrets) {
            (Some((_, h)), _) => Arc::new(RemoteSecrets::new(&h.providers)),
            (None, Some(secrets)) => secrets,
            (None, None) => Arc::new(StaticSecrets::from_env()),
        };
        let mut providers: Vec<Arc<dyn Provider>> = Vec::new();
        for kind in ProviderKind::ALL {
            let from_server = remote.as_ref().and_then(|(_, h)| {
                h.providers
                    .iter()
                    .find(|c| c.provider == kind.name())
                    .and_then(|c| c.base_url.clone())
            });
            let url = match (from_server, self.upstreams.get(&kind)) {
                (Some(url), _) => url,
                (None, Some(url)) => url.clone(),
                (None, None) => kind.upstream_from_env(),
            };
            providers.push(Arc::new(HttpProvider::new(
                kind.name(),
                kind,
                url,
                secrets.clone(),
            )?));
        }
        providers.extend(self.extra_providers);

        let memory = Arc::new(MemorySink::new(MEMORY_EVENTS));
        let mut fanout = FanoutSink::new(self.sinks);
        fanout.push(memory.clone());
        let remote_events = remote.as_ref().map(|(client, h)| {
            let sink = Arc::new(RemoteEventSink::start(client.clone(), h.session_id.clone()));
            fanout.push(sink.clone());
            sink
        });
        let mut event_log = None;
        if let Some(path) = self.event_log {
            let sink = Arc::new(JsonLinesSink::create(path)?);
            fanout.push(sink.clone());
            event_log = Some(sink);
        }
        let events: Arc<dyn EventSink> = Arc::new(fanout);
        let detector: Arc<dyn Detector> = Arc::new(RuleDetector::shared().clone());
        let mut tool_guard = ToolGuard::new(self.tools.unwrap_or_default())?
            .with_events(events.clone())
            .with_output_scanner(Arc::new(DetectorScanner(detector.clone())));
        if let Some(approver) = self.approver {
            tool_guard = tool_guard.with_approver(approver);
        }
        let tool_guard = Arc::new(tool_guard);
        let guards = (!self.guards_off).then(|| {
            let (threshold, injection_action) = self.injection.unwrap_or((None, Action::Block));
            let injection = (injection_action != Action::Allow).then(|| {
                // Clones share the compiled rules: compiling them takes ~300 ms.
                let detector = InjectionDetector::shared().clone();
                let detector = match threshold {
                    Some(t) => detector.with_threshold(t),
                    None => detector,
                };
                (detector, injection_action)
            });
            Guards {
                detector,
                policy: self.safety.unwrap_or_default(),
                redactor: Arc::new(Redactor::new()),
                injection,
                tools: Some((
                    tool_guard.clone(),
                    self.tool_call_action.unwrap_or(Action::Block),
                )),
            }
        });
        let placeholder = new_placeholder();
        let config = GatewayConfig {
            providers,
            prices: self
                .prices
                .unwrap_or_else(|| Arc::new(StaticPriceTable::builtin())),
            accountant: accountant.clone(),
            events,
            guards,
            retry: self.retry.unwrap_or_default(),
            breaker: self.breaker.unwrap_or_default(),
            fallbacks: self.fallbacks,
            allowed_models: self.allowed_models,
            max_body_bytes: self.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
            placeholder: placeholder.clone(),
            exported_keys: self.exported_keys,
        };
        let bind = self
            .bind
            .unwrap_or_else(|| SocketAddr::from((Ipv4Addr::LOCALHOST, 0)));
        let gateway = Gateway::start(config, bind).await?;
        let remote = match (remote, remote_events) {
            (Some((client, h)), Some(events)) => Some(RemoteSession {
                control: ControlListener::start(
                    client.clone(),
                    h.control_url.clone(),
                    accountant.clone(),
                ),
                client,
                session_id: h.session_id,
                events,
            }),
            _ => None,
        };
        Ok(Runtime {
            remote,
            url: gateway.url(),
            gateway: Some(gateway),
            accountant,
            local,
            placeholder,
            memory,
            event_log,
            tool_guard,
            own_tokio: None,
        })
    }

    /// Remote mode: the server's policy replaces the builder's settings.
    fn apply_server_policy(&mut self, h: &Handshake) {
        let policy = &h.policy;
        if let Some(models) = policy.allowed_models() {
            self.allowed_models = Some(models);
        }
        self.safety = Some(
            self.safety
                .take()
                .unwrap_or_default()
                .with_pii(policy.pii_action()),
        );
        self.injection = Some((Some(policy.injection_threshold()), Action::Block));
        self.tools = Some(policy.tool_policy(self.tools.take().unwrap_or_default()));
        if self.tranche.is_none() && h.lease.tranche_micros > 0 {
            self.tranche = Some(h.lease.tranche_micros);
        }
    }

    /// Starts the runtime on a Tokio runtime of its own (for bindings whose
    /// callers are not async). Stop it with [`Runtime::shutdown_blocking`].
    pub fn start_blocking(self) -> Result<Runtime> {
        let tokio = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("iron-cage")
            .enable_all()
            .build()
            .map_err(|e| Error::internal("cannot start the Tokio runtime").with_source(e))?;
        let mut runtime = tokio.block_on(self.start())?;
        runtime.own_tokio = Some(tokio);
        Ok(runtime)
    }
}

/// A running Iron Cage runtime.
#[derive(Debug)]
pub struct Runtime {
    url: String,
    gateway: Option<Gateway>,
    accountant: Arc<Accountant>,
    local: Option<Arc<LocalAuthority>>,
    placeholder: String,
    memory: Arc<MemorySink>,
    event_log: Option<Arc<JsonLinesSink>>,
    tool_guard: Arc<ToolGuard>,
    remote: Option<RemoteSession>,
    own_tokio: Option<tokio::runtime::Runtime>,
}

/// The server side of a remote-mode runtime.
#[derive(Debug)]
struct RemoteSession {
    client: RemoteClient,
    session_id: String,
    events: Arc<RemoteEventSink>,
    control: ControlListener,
}

impl RemoteSession {
    /// After the accountant settled: stop listening, flush events, close
    /// the session.
    async fn close(&self) -> Result<()> {
        self.control.stop();
        if tokio::time::timeout(EVENT_FLUSH_TIMEOUT, self.events.close())
            .await
            .is_err()
        {
            tracing::warn!("events still queued for iron-server at shutdown were dropped");
        }
        self.client.close_session(&self.session_id).await
    }
}

impl Runtime {
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    /// `http://127.0.0.1:PORT` — the gateway's root.
    pub fn gateway_url(&self) -> &str {
        &self.url
    }

    /// The key agents present instead of the real one.
    pub fn placeholder_key(&self) -> &str {
        &self.placeholder
    }

    /// The variables that point the official clients at the gateway. A
    /// binding sets them for the agent's run and restores them afterwards.
    pub fn env_vars(&self) -> Vec<(String, String)> {
        let openai_base = format!("{}/v1", self.url);
        vec![
            ("OPENAI_BASE_URL".into(), openai_base.clone()),
            // Older LangChain versions read this name.
            ("OPENAI_API_BASE".into(), openai_base),
            ("OPENAI_API_KEY".into(), self.placeholder.clone()),
            ("ANTHROPIC_BASE_URL".into(), self.url.clone()),
            ("ANTHROPIC_API_KEY".into(), self.placeholder.clone()),
        ]
    }

    pub fn budget(&self) -> BudgetSnapshot {
        self.accountant.snapshot()
    }

    /// What is left: the local authority's unleased budget plus the lease's
    /// free part. `None` in remote mode (the server knows).
    pub fn remaining(&self) -> Option<Micros> {
        let local = self.local.as_ref()?;
        Some(local.remaining() + self.accountant.snapshot().available.max(0))
    }

    /// The server session's id in remote mode.
    pub fn session_id(&self) -> Option<&str> {
        self.remote.as_ref().map(|r| r.session_id.as_str())
    }

    pub fn accountant(&self) -> &Arc<Accountant> {
        &self.accountant
    }

    /// Checks a tool call against the tool policy (including DNS for URL
    /// arguments and the approval hook). Emits a `tool.invoke` event.
    pub async fn check_tool(&self, tool: &str, args: &serde_json::Value) -> ToolDecision {
        self.tool_guard.check(tool, args).await
    }

    /// The same without DNS look-ups or waiting for approval: the fast path
    /// for bindings guarding synchronous tools.
    pub fn check_tool_sync(&self, tool: &str, args: &serde_json::Value) -> ToolDecision {
        self.tool_guard.check_sync(tool, args)
    }

    pub fn tool_guard(&self) -> &Arc<ToolGuard> {
        &self.tool_guard
    }

    /// Recent events, oldest first.
    pub fn events(&self) -> Vec<Event> {
        self.memory.events()
    }

    /// Stops the gateway (calls in flight finish), settles every lease and
    /// returns the unspent rest to the authority.
    pub async fn shutdown(mut self) -> Result<BudgetSnapshot> {
        if let Some(gateway) = self.gateway.take() {
            gateway.shutdown().await;
        }
        let closed = self.accountant.close().await;
        if let Some(log) = &self.event_log {
            log.close();
        }
        // The session is closed even when a settle failed: the server then
        // charges the open leases in full until a late settle corrects them.
        let session = match &self.remote {
            Some(remote) => remote.close().await,
            None => Ok(()),
        };
        closed.and(session).map(|()| self.accountant.snapshot())
    }

    /// [`Runtime::shutdown`] for a runtime made by `start_blocking`.
    pub fn shutdown_blocking(mut self) -> Result<BudgetSnapshot> {
        let tokio = self.own_tokio.take().ok_or_else(|| {
            Error::invalid_config("shutdown_blocking needs a runtime started with start_blocking")
        })?;
        let result = tokio.block_on(self.shutdown());
        tokio.shutdown_background();
        result
    }
}

/// Lets the tool guard scan tool outputs with the safety detector.
#[derive(Debug)]
struct DetectorScanner(Arc<dyn Detector>);

impl OutputScanner for DetectorScanner {
    fn scan(&self, text: &str) -> Vec<(String, usize, usize)> {
        self.0
            .detect(text)
            .into_iter()
            .map(|f| (f.entity.name().to_string(), f.start, f.end))
            .collect()
    }
}
