//! End-to-end test helpers (see desktop.rs).
