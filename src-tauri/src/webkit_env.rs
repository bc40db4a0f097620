//! The environment WebKitGTK's processes start with: defaults Appdesk chooses
//! for its own window, each one only where the user has not set the variable
//! (so `VAR=… appdesk-desktop` still decides). WebKit reads these in the web
//! process, which inherits the app's environment; `main` sets them before any
//! thread exists (setting the environment later is unsound), which is why this
//! module only decides and `main` writes.
//!
//! Each default was measured with `scripts/desktop-bench` (PSS of the app's
//! processes under Xvfb, 10k apps; issue 11's budget is measured against
//! `desktop-bench --webkit-floor`).

use std::ffi::OsString;

/// The variables Appdesk sets by default, with why.
pub const DEFAULTS: &[(&str, &str)] = &[
    // Frames reach the window in shared memory instead of DMA-BUF buffers:
    // about 310 → 220 MiB PSS. The DMA-BUF path keeps GPU buffers and a second
    // GL context in the web process; Appdesk draws forms and lists, which need
    // no GPU compositing. It is also the usual cure for blank WebKitGTK
    // windows on some GPU drivers.
    ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
    // JavaScriptCore runs the window's script without its JIT compilers: their
    // code, compiled code and profiling data cost the web process about 7 MiB.
    // The script is Appdesk's own, small, and mostly waits on the core (the
    // search runs in Rust); the list and keystroke budgets hold without a JIT.
    ("JSC_useJIT", "0"),
];

/// The defaults to set: those whose variable `current` does not hold.
pub fn to_set(current: impl Fn(&str) -> Option<OsString>) -> Vec<(&'static str, &'static str)> {
    DEFAULTS
        .iter()
        .copied()
        .filter(|(name, _)| current(name).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_set_when_the_environment_has_none() {
        let set = to_set(|_| None);
        assert_eq!(set.len(), DEFAULTS.len());
        assert!(set.contains(&("WEBKIT_DISABLE_DMABUF_RENDERER", "1")));
        assert!(set.contains(&("JSC_useJIT", "0")));
    }

    #[test]
    fn a_variable_the_user_set_is_kept_even_when_empty() {
        let user = |name: &str| match name {
            "JSC_useJIT" => Some(OsString::from("1")),
            "WEBKIT_DISABLE_DMABUF_RENDERER" => Some(OsString::new()),
            _ => None,
        };
        assert!(to_set(user).is_empty());
        let only_jit = |name: &str| (name == "JSC_useJIT").then(|| OsString::from("1"));
        assert_eq!(
            to_set(only_jit),
            vec![("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]
        );
    }
}
