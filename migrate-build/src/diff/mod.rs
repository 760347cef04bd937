//! `diff(previous, next)`: the steps that turn one schema into the other.
