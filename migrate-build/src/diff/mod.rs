// STUB: replaced at merge
//! `diff(previous, next)`: the steps that turn one schema into the other.
#![allow(unused_variables)]

use crate::plan::{Plan, Step};
use crate::schema::Schema;

pub fn diff(previous: &Schema, next: &Schema) -> Plan {
    todo!("stub")
}

pub fn describe(step: &Step) -> String {
    todo!("stub")
}
