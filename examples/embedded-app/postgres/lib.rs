//! Nothing to build: this package holds the PostgreSQL migrate configuration
//! of `embedded-app` (its `[package.metadata.migrate]` table).
