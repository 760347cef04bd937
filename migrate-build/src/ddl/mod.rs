//! The DDL interpreter: applies SQL scripts to a [`crate::schema::Schema`].
//! The only module that imports sqlparser.
