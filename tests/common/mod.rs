//! Shared helpers of the end-to-end tests.
#![allow(dead_code)]

pub mod formats;
pub mod pg;
pub mod workspace;
