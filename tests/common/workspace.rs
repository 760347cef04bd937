//! Scratch cargo workspaces and the cargo-migrate binary.
