//! iron-core errors become the Python exception classes of
//! `iron_cage._errors`, whose `from_core` holds the one mapping from error
//! kind and code to class (also used for refusals the agent's own HTTP
//! client received from the gateway).

use pyo3::prelude::*;

/// Converts an engine error into the matching `IronCageError` subclass.
pub fn to_py(err: iron_core::Error) -> PyErr {
    Python::attach(|py| {
        let build = || -> PyResult<PyErr> {
            let retry_after = err.retry_after().map(|d| d.as_secs_f64());
            let exc = py
                .import("iron_cage._errors")?
                .getattr("from_core")?
                .call1((
                    err.kind().code(),
                    err.code(),
                    err.message(),
                    retry_after,
                    err.status(),
                ))?;
            Ok(PyErr::from_value(exc))
        };
        build().unwrap_or_else(|e| e)
    })
}

/// A configuration error raised by the binding itself (same class as the
/// engine's `invalid_config`).
pub fn config(message: impl Into<String>) -> PyErr {
    to_py(iron_core::Error::invalid_config(message))
}
