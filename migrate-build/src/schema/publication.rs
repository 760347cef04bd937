//! What a publication publishes besides `FOR ALL TABLES`: one table
//! (`pg_publication_rel`: its column list and row filter) or every table of
//! a schema (`pg_publication_namespace`). pg_dump prints each as its own
//! statement after the tables, `ALTER PUBLICATION p ADD TABLE ONLY
//! public.t (a, b) WHERE (…);`, and the model keeps them so: the
//! publication itself is an opaque object (its options), each member one
//! of these.

use super::{Expr, QualifiedName};
use crate::dialect::Dialect;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicationMember {
    /// The publication's name (database-wide, no schema).
    pub publication: String,
    pub target: PublicationTarget,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicationTarget {
    /// `TABLE ONLY t (a, b) WHERE (…)`: a table without `ONLY` is one
    /// member per table of its inheritance tree, as the server adds them.
    Table {
        table: QualifiedName,
        /// `(a, b)`: sorted by name (the server keeps the set, in column
        /// order); `None` publishes every column.
        columns: Option<Vec<String>>,
        row_filter: Option<Expr>,
    },
    /// `TABLES IN SCHEMA s`; `None` is `public`, as in [`QualifiedName`].
    Schema(Option<String>),
}

impl PublicationMember {
    /// Whether `other` is the same member (not: with the same column list
    /// and filter): the same publication and table or schema.
    pub fn same_member(&self, other: &PublicationMember, d: Dialect) -> bool {
        d.same_name(&self.publication, &other.publication)
            && match (&self.target, &other.target) {
                (
                    PublicationTarget::Table { table: a, .. },
                    PublicationTarget::Table { table: b, .. },
                ) => a.same_as(b, d),
                (PublicationTarget::Schema(a), PublicationTarget::Schema(b)) => match (a, b) {
                    (Some(a), Some(b)) => d.same_name(a, b),
                    (None, None) => true,
                    _ => false,
                },
                _ => false,
            }
    }

    /// The table this member publishes, if it is a table.
    pub fn table(&self) -> Option<&QualifiedName> {
        match &self.target {
            PublicationTarget::Table { table, .. } => Some(table),
            PublicationTarget::Schema(_) => None,
        }
    }

    /// The order [`super::Schema::sort`] keeps members in.
    pub(super) fn sort_key(&self, d: Dialect) -> (String, u8, Option<String>, String) {
        let name = d.name_key(&self.publication).into_owned();
        match &self.target {
            PublicationTarget::Table { table, .. } => (
                name,
                0,
                table.schema.as_deref().map(|s| d.name_key(s).into_owned()),
                d.name_key(&table.name).into_owned(),
            ),
            PublicationTarget::Schema(s) => (
                name,
                1,
                s.as_deref().map(|s| d.name_key(s).into_owned()),
                String::new(),
            ),
        }
    }
}
