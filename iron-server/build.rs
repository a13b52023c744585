//! Rebuilds iron-server when the dashboard bundle (`dashboard/dist`) changes or
//! first appears. Watching `dashboard/` itself while dist is missing notices
//! the first `npm run build` without rerunning on every `cargo build`.

use std::path::Path;

fn main() {
    let dashboard = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dashboard");
    let dist = dashboard.join("dist");
    if dist.join("index.html").is_file() {
        println!("cargo:rerun-if-changed={}", dist.display());
    } else if dashboard.is_dir() {
        println!("cargo:rerun-if-changed={}", dashboard.display());
    } else {
        println!("cargo:rerun-if-changed=build.rs");
    }
}
