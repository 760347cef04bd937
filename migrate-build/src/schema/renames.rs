//! `-- migrate:renamed-from` annotations of the schema files, kept on the
//! schema they were read into. They are facts about history, not about the
//! schema: two schemas compare equal whatever annotations they carry, and
//! only the differ reads them (see `diff::renames`).

use super::QualifiedName;

/// What an annotation renames, named as the annotated schema names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Renamed {
    Table(QualifiedName),
    Column {
        table: QualifiedName,
        column: String,
    },
    Index(QualifiedName),
    /// A named constraint of a table (primary key, unique, check, foreign
    /// key, exclusion).
    Constraint {
        table: QualifiedName,
        name: String,
    },
    View(QualifiedName),
    Enum(QualifiedName),
    Sequence(QualifiedName),
    EnumValue {
        enum_name: QualifiedName,
        value: String,
    },
}

impl Renamed {
    /// The object's own name (a label for an enum value).
    pub fn name(&self) -> &str {
        match self {
            Renamed::Table(n)
            | Renamed::Index(n)
            | Renamed::View(n)
            | Renamed::Enum(n)
            | Renamed::Sequence(n) => &n.name,
            Renamed::Column { column, .. } => column,
            Renamed::Constraint { name, .. } => name,
            Renamed::EnumValue { value, .. } => value,
        }
    }

    /// "column `customers.full_name`", for messages.
    pub fn describe(&self) -> String {
        match self {
            Renamed::Table(n) => format!("table `{n}`"),
            Renamed::Column { table, column } => format!("column `{table}.{column}`"),
            Renamed::Index(n) => format!("index `{n}`"),
            Renamed::Constraint { table, name } => format!("constraint `{name}` of `{table}`"),
            Renamed::View(n) => format!("view `{n}`"),
            Renamed::Enum(n) => format!("enum type `{n}`"),
            Renamed::Sequence(n) => format!("sequence `{n}`"),
            Renamed::EnumValue { enum_name, value } => {
                format!("value '{value}' of enum `{enum_name}`")
            }
        }
    }
}

/// Where an annotation was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLocation {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// `object` was called `from` before (same schema, same table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenamedFrom {
    pub object: Renamed,
    pub from: String,
    /// `None` for a rename the user confirmed rather than wrote.
    pub at: Option<SourceLocation>,
}

/// The annotations of a schema, in the order they were read. Never part of
/// a schema's equality.
#[derive(Clone, Debug, Default)]
pub struct Renames(pub Vec<RenamedFrom>);

impl PartialEq for Renames {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Renames {}
