//! PostgreSQL introspection.
