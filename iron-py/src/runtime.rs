//! `Runtime`: iron-core's runtime on its own Tokio runtime, driven from
//! Python. Every blocking call releases the GIL.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use iron_core::budget::BudgetSnapshot;
use iron_core::options::{RemoteOptions, RuntimeOptions};
use iron_core::provider::ProviderKind;
use iron_core::secrets::{Secret, StaticSecrets};
use iron_core::tools::FnApprover;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::to_json;
use crate::errors;
use crate::guards::{py_bool, py_opt};

/// The outcome of `Runtime.check_tool`.
#[pyclass(frozen, eq, module = "iron_cage")]
#[derive(Debug, Clone, PartialEq)]
pub struct ToolDecision {
    /// The tool's name.
    #[pyo3(get)]
    pub tool: String,
    /// Whether the call may run.
    #[pyo3(get)]
    pub allowed: bool,
    /// What refused it (`deny_list`, `path_traversal`, `destructive_sql`, ...).
    #[pyo3(get)]
    pub rule: Option<String>,
    /// Why, in words.
    #[pyo3(get)]
    pub reason: Option<String>,
}

#[pymethods]
impl ToolDecision {
    fn __bool__(&self) -> bool {
        self.allowed
    }

    fn __repr__(&self) -> String {
        format!(
            "ToolDecision(tool={:?}, allowed={}, rule={})",
            self.tool,
            py_bool(self.allowed),
            py_opt(self.rule.as_deref())
        )
    }
}

impl From<iron_core::tools::ToolDecision> for ToolDecision {
    fn from(d: iron_core::tools::ToolDecision) -> Self {
        Self {
            tool: d.tool,
            allowed: d.allowed,
            rule: d.rule.map(str::to_string),
            reason: d.reason,
        }
    }
}

/// A running iron-core runtime: the loopback gateway, the budget
/// accountant, the guards. Use `iron_cage.SafetyRuntime` instead.
#[pyclass(frozen, module = "iron_cage._native")]
pub struct Runtime {
    inner: RwLock<Option<iron_core::Runtime>>,
}

/// A Tokio runtime for the async tool check (DNS, approver); built on first
/// use, only by runtimes whose policy needs approval.
fn check_tokio() -> PyResult<&'static tokio::runtime::Runtime> {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    if let Some(rt) = RT.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("iron-cage-check")
        .enable_all()
        .build()
        .map_err(|e| errors::to_py(iron_core::Error::internal(e.to_string())))?;
    Ok(RT.get_or_init(|| rt))
}

fn snapshot_dict<'py>(py: Python<'py>, s: &BudgetSnapshot) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("granted_micros", s.granted)?;
    d.set_item("spent_micros", s.spent)?;
    d.set_item("reserved_micros", s.reserved)?;
    d.set_item("available_micros", s.available)?;
    d.set_item("returned_micros", s.returned)?;
    d.set_item("overrun_micros", s.overrun)?;
    Ok(d)
}

/// Wraps a Python callable `(tool, args) -> bool` as the engine's approver.
/// It runs on a blocking thread that takes the GIL; an exception denies.
fn python_approver(callable: Py<PyAny>) -> FnApprover {
    let callable = Arc::new(callable);
    FnApprover::new("python", move |tool: String, args: serde_json::Value| {
        let callable = callable.clone();
        async move {
            let ask = move || {
                Python::attach(|py| {
                    let call = || -> PyResult<bool> {
                        let json = py.import("json")?;
                        let args = json.call_method1("loads", (args.to_string(),))?;
                        callable.bind(py).call1((tool, args))?.is_truthy()
                    };
                    call().unwrap_or_else(|e| {
                        e.write_unraisable(py, Some(callable.bind(py)));
                        false
                    })
                })
            };
            tokio::task::spawn_blocking(ask).await.unwrap_or(false)
        }
    })
}

impl Runtime {
    fn with<R>(&self, f: impl FnOnce(&iron_core::Runtime) -> R) -> PyResult<R> {
        let guard = self.inner.read().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(rt) => Ok(f(rt)),
            None => Err(errors::to_py(iron_core::Error::invalid_config(
                "this Iron Cage runtime is shut down; create a new one",
            ))),
        }
    }
}

#[pymethods]
impl Runtime {
    /// Starts the gateway. `config` is iron-core's `RuntimeOptions` as JSON;
    /// `provider_keys` maps `openai`/`anthropic` to real keys (default: the
    /// environment's `*_API_KEY`); `approver(tool, args) -> bool`;
    /// `exported_keys`: real keys the caller puts into the agent's
    /// environment (export mode), which the gateway then also accepts;
    /// `remote`: `(server_url, ic_key)` for remote mode (handshake here,
    /// budget and provider keys from the server).
    #[new]
    #[pyo3(signature = (config, provider_keys=None, approver=None, exported_keys=None, remote=None))]
    fn new(
        py: Python<'_>,
        config: &str,
        provider_keys: Option<HashMap<String, String>>,
        approver: Option<Py<PyAny>>,
        exported_keys: Option<Vec<String>>,
        remote: Option<(String, String)>,
    ) -> PyResult<Self> {
        let mut options = RuntimeOptions::from_json(config).map_err(errors::to_py)?;
        options.remote = remote.map(|(server_url, ic_key)| RemoteOptions { server_url, ic_key });
        let mut builder = iron_core::RuntimeBuilder::from_options(options);
        if let Some(keys) = provider_keys {
            let mut secrets = StaticSecrets::from_env();
            for (name, value) in keys {
                let kind = match name.as_str() {
                    "openai" => ProviderKind::OpenAi,
                    "anthropic" => ProviderKind::Anthropic,
                    other => {
                        return Err(errors::config(format!(
                            "unknown provider {other:?} in provider_keys; use \"openai\" or \"anthropic\""
                        )));
                    }
                };
                secrets = secrets.with_key(kind, Secret::new(value));
            }
            builder = builder.secrets(Arc::new(secrets));
        }
        for key in exported_keys.unwrap_or_default() {
            builder = builder.accept_exported_key(Secret::new(key));
        }
        if let Some(callable) = approver {
            builder = builder.approver(Arc::new(python_approver(callable)));
        }
        let runtime = py
            .detach(|| builder.start_blocking())
            .map_err(errors::to_py)?;
        Ok(Self {
            inner: RwLock::new(Some(runtime)),
        })
    }

    /// `http://127.0.0.1:PORT`, the gateway's root.
    #[getter]
    fn gateway_url(&self) -> PyResult<String> {
        self.with(|rt| rt.gateway_url().to_string())
    }

    /// The key agents present instead of the real one.
    #[getter]
    fn placeholder_key(&self) -> PyResult<String> {
        self.with(|rt| rt.placeholder_key().to_string())
    }

    /// `[(name, value)]` that point the official clients at the gateway.
    fn env_vars(&self) -> PyResult<Vec<(String, String)>> {
        self.with(|rt| rt.env_vars())
    }

    /// The accountant's books in micro-dollars.
    fn budget<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let snapshot = self.with(|rt| rt.budget())?;
        snapshot_dict(py, &snapshot)
    }

    /// Micro-dollars still available (unleased budget + the lease's free part).
    fn remaining_micros(&self) -> PyResult<Option<i64>> {
        self.with(|rt| rt.remaining())
    }

    /// Recent events as a JSON array, oldest first.
    fn events_json(&self, py: Python<'_>) -> PyResult<String> {
        let events = self.with(|rt| rt.events())?;
        py.detach(|| serde_json::to_string(&events))
            .map_err(|e| errors::to_py(iron_core::Error::internal(e.to_string())))
    }

    /// Checks a tool call against the tool policy; emits `tool.invoke`.
    /// Tools needing approval wait for the approver (GIL released).
    fn check_tool(
        &self,
        py: Python<'_>,
        name: &str,
        args: &Bound<'_, PyAny>,
    ) -> PyResult<ToolDecision> {
        let args = to_json(args)?;
        let guard = self.with(|rt| rt.tool_guard().clone())?;
        // The synchronous check never waits (no DNS, no approver) and is
        // bounded by the policy's max_arg_bytes: microseconds, less than
        // releasing the GIL would cost.
        let decision = guard.check_sync(name, &args);
        if decision.rule != Some("approval_required_async") {
            return Ok(decision.into());
        }
        let tokio = check_tokio()?;
        Ok(py
            .detach(|| tokio.block_on(guard.check(name, &args)))
            .into())
    }

    /// Stops the gateway, settles the budget, returns the final books.
    /// Idempotent: later calls return None.
    fn shutdown<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let taken = self.inner.write().unwrap_or_else(|e| e.into_inner()).take();
        let Some(runtime) = taken else {
            return Ok(None);
        };
        let snapshot = py
            .detach(|| runtime.shutdown_blocking())
            .map_err(errors::to_py)?;
        snapshot_dict(py, &snapshot).map(Some)
    }

    /// The server session's id in remote mode, else None.
    #[getter]
    fn session_id(&self) -> PyResult<Option<String>> {
        self.with(|rt| rt.session_id().map(str::to_string))
    }

    /// Whether `shutdown` has run.
    #[getter]
    fn closed(&self) -> bool {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
    }
}
