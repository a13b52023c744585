# Sourced by the scripts: one place for the build settings.
[[ -x "$HOME/.cargo/bin/cargo" ]] && export PATH="$HOME/.cargo/bin:$PATH"
# A persistent target dir outside the clone makes repeated runs fast;
# nothing depends on what is in it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/iron-cage/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
