//! `iron_cage._native`: the PyO3 layer over iron-core. It converts types
//! and errors and releases the GIL around engine work; every decision is
//! made by iron-core. The Python package (`python/iron_cage`) adds the
//! ergonomics: `SafetyRuntime`, `protect_agent`, the exception classes.

mod convert;
mod errors;
mod guards;
mod runtime;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<guards::Finding>()?;
    m.add_class::<guards::InjectionResult>()?;
    m.add_class::<runtime::ToolDecision>()?;
    m.add_class::<runtime::Runtime>()?;
    m.add_function(wrap_pyfunction!(guards::scan, m)?)?;
    m.add_function(wrap_pyfunction!(guards::redact, m)?)?;
    m.add_function(wrap_pyfunction!(guards::check_injection, m)?)?;
    m.add_function(wrap_pyfunction!(guards::entity_types, m)?)?;
    Ok(())
}
