//! SQLite introspection.
