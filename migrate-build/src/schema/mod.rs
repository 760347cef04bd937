//! The in-memory model of a database schema.
//!
//! A [`Schema`] is a plain value: every source (schema.sql, replayed migrations,
//! a live database) is turned into one, and the differ compares two of them.
//! Names are stored as the database stores them: PostgreSQL folds unquoted
//! identifiers to lower case before they get here, SQLite keeps the spelling of
//! the `CREATE` statement. Lookups go through [`Dialect::same_name`], so `User`
//! and `user` are one table on SQLite and two on PostgreSQL.
//!
//! Expressions (defaults, checks, predicates) keep the SQL they were written
//! with, for rendering, and a canonical key, for comparing: `'x'::text` and
//! `'x'` are the same default to the database, so they compare equal.

mod list;
mod publication;
mod renames;
mod text_search;

pub use renames::{Renamed, RenamedFrom, Renames, SourceLocation};
pub use text_search::*;

pub(crate) use list::Alias;
pub use list::{Named, ObjectList};
pub use publication::{PublicationMember, PublicationTarget};

use crate::dialect::Dialect;

/// A possibly schema-qualified name. `schema` is `None` for the default
/// schema (`public` on PostgreSQL, `main` on SQLite): both spellings are
/// normalised to `None` when the model is built.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QualifiedName {
    pub schema: Option<String>,
    pub name: String,
}

impl QualifiedName {
    pub fn new(name: impl Into<String>) -> Self {
        QualifiedName {
            schema: None,
            name: name.into(),
        }
    }

    pub fn with_schema(schema: Option<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema,
            name: name.into(),
        }
    }

    /// Whether two names denote the same object under `dialect`'s rules.
    pub fn same_as(&self, other: &QualifiedName, dialect: Dialect) -> bool {
        // Names differ far more often than schemas: compare them first.
        dialect.same_name(&self.name, &other.name)
            && match (&self.schema, &other.schema) {
                (None, None) => true,
                (Some(a), Some(b)) => dialect.same_name(a, b),
                _ => false,
            }
    }
}

impl std::fmt::Display for QualifiedName {
    /// Unquoted, for messages. SQL is rendered by the dialect's quoting function.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{schema}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// A SQL expression: the text to render and the canonical key to compare.
///
/// Build it with [`Expr::new`] so that the key is always computed the same way,
/// whichever source the expression came from.
#[derive(Clone, Debug)]
pub struct Expr {
    /// SQL as written (or as the database printed it); valid to render.
    pub sql: String,
    /// Canonical form, only for comparison (see `ddl::normalize::expr_key`).
    pub key: String,
    /// The names it mentions, read once when it is built.
    words: Words,
    /// The contents of its string literals.
    strings: Vec<String>,
    /// Whether it is one literal value, and which kind.
    literal: Option<Literal>,
}

/// An expression that is one literal value: a (signed) number, a string, a
/// blob, a keyword constant. Read once when the expression is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal {
    /// The same value whenever it is read: a number, string, blob, `NULL`,
    /// `TRUE` or `FALSE`.
    Constant,
    /// `CURRENT_TIME`, `CURRENT_DATE` or `CURRENT_TIMESTAMP`: a keyword
    /// whose value is read from the clock when a row is written.
    Clock,
    /// One name, bare or double-quoted (`DEFAULT ""`, `DEFAULT "{}"`, as
    /// calibre writes its defaults): SQLite's `DEFAULT` takes it as the
    /// string it spells; in parentheses it would read as a column.
    Name,
}

impl Expr {
    pub fn new(sql: impl Into<String>, dialect: Dialect) -> Self {
        // The same short defaults come back column after column (`now()`,
        // `0`, `''`), and unoptimised, as build scripts run, reading one is
        // tens of thousands of instructions. An expression is a function of
        // its text and the dialect: this thread keeps the last few short ones.
        const SHORT: usize = 64;
        const KEPT: usize = 16;
        thread_local! {
            static RECENT: std::cell::RefCell<std::collections::VecDeque<(Dialect, Expr)>> =
                const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
        }
        let sql = sql.into();
        let short = sql.len() <= SHORT;
        if short
            && let Some(expr) = RECENT.with_borrow(|recent| {
                recent
                    .iter()
                    .find(|(d, e)| *d == dialect && e.sql == sql)
                    .map(|(_, e)| e.clone())
            })
        {
            return expr;
        }
        let key = crate::ddl::normalize::expr_key(&sql, dialect);
        let words = crate::ddl::normalize::words(&sql);
        let strings = crate::ddl::normalize::string_literals(&sql);
        let literal = crate::ddl::normalize::literal(&sql);
        let expr = Expr {
            sql,
            key,
            words,
            strings,
            literal,
        };
        if short {
            RECENT.with_borrow_mut(|recent| {
                if recent.len() == KEPT {
                    recent.pop_back();
                }
                recent.push_front((dialect, expr.clone()));
            });
        }
        expr
    }

    /// `sql` as written, keyed as `same` is: the same expression with the
    /// names the server resolves spelled out (see `ddl::resolve`).
    pub(crate) fn keyed_as(sql: impl Into<String>, same: &str, dialect: Dialect) -> Self {
        Expr {
            key: crate::ddl::normalize::expr_key(same, dialect),
            ..Expr::new(sql, dialect)
        }
    }

    /// Whether it is one literal value (see [`Literal`]).
    pub fn literal(&self) -> Option<Literal> {
        self.literal
    }

    /// Whether it names `name` as a whole word (ASCII case-insensitive, a
    /// quoted name counting as one word). Over-matching is the safe side:
    /// the callers only order or recreate more than needed.
    pub fn mentions(&self, name: &str) -> bool {
        self.words.mention(name)
    }

    /// Whether one of its string literals is exactly `text`.
    pub fn has_string(&self, text: &str) -> bool {
        self.strings.iter().any(|s| s == text)
    }
}

/// The words of a SQL text, lower-cased: computed once by the interpreter
/// when an expression or definition is built, and asked by the differ and
/// the orderer whether the text mentions a name.
///
/// Kept sorted and without repeats: an expression has a few words, and
/// unoptimised (as build scripts run) a hash set's hashing and allocation
/// cost more than the binary search.
#[derive(Clone, Default)]
pub struct Words(Vec<String>);

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Words").field(&self.0).finish()
    }
}

impl Words {
    /// `words` lower-cased, in any order and with repeats.
    pub(crate) fn from_words(mut words: Vec<String>) -> Words {
        words.sort_unstable();
        words.dedup();
        Words(words)
    }

    /// Whether `name` is one of the words (ASCII case-insensitive).
    pub fn mention(&self, name: &str) -> bool {
        let lower = name.bytes().map(|b| b.to_ascii_lowercase());
        !name.is_empty()
            && self
                .0
                .binary_search_by(|w| w.bytes().cmp(lower.clone()))
                .is_ok()
    }
}

impl Expr {
    /// Whether this is the null constant, cast or not (`NULL::text`): as a
    /// default it is the same as none.
    pub fn is_null(&self) -> bool {
        self.key == "null"
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Expr {}

/// The body of an object the engine keeps as text (views, functions,
/// triggers…). A database prints these back in its own words, so text from
/// the database is never compared with text from a source file: two
/// definitions compare equal unless both come from SQL sources and differ.
#[derive(Clone, Debug)]
pub enum Definition {
    /// From schema.sql or a migration; the key is whitespace- and case-folded.
    Source {
        sql: String,
        key: String,
        words: Words,
    },
    /// As a live database printed it.
    Database { sql: String, words: Words },
}

impl Definition {
    pub fn source(sql: impl Into<String>) -> Self {
        let sql = sql.into();
        let key = crate::ddl::normalize::definition_key(&sql);
        Definition::source_keyed(sql, key)
    }

    /// From SQL, with a key the interpreter computed from the statement's
    /// parts (see `ddl::definition`).
    pub fn source_keyed(sql: impl Into<String>, key: String) -> Self {
        let sql = sql.into();
        let words = crate::ddl::normalize::words(&sql);
        Definition::Source { sql, key, words }
    }

    /// As a live database printed it.
    pub fn database(sql: impl Into<String>) -> Self {
        let sql = sql.into();
        let words = crate::ddl::normalize::words(&sql);
        Definition::Database { sql, words }
    }

    pub fn sql(&self) -> &str {
        match self {
            Definition::Source { sql, .. } | Definition::Database { sql, .. } => sql,
        }
    }

    /// Whether the text names `name` as a whole word (see [`Expr::mentions`]).
    pub fn mentions(&self, name: &str) -> bool {
        self.words().mention(name)
    }

    /// The words of the text, read once when it was built.
    pub fn words(&self) -> &Words {
        match self {
            Definition::Source { words, .. } | Definition::Database { words, .. } => words,
        }
    }
}

impl PartialEq for Definition {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Definition::Source { key: a, .. }, Definition::Source { key: b, .. }) => a == b,
            _ => true,
        }
    }
}
impl Eq for Definition {}

/// The whole schema of one database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    pub dialect: Dialect,
    pub tables: ObjectList<Table>,
    /// Indexes live beside tables (their names are schema-level on PostgreSQL).
    pub indexes: ObjectList<Index>,
    /// PostgreSQL `CREATE TYPE … AS ENUM`; values in declaration order.
    pub enums: ObjectList<Enum>,
    pub views: ObjectList<View>,
    /// Standalone and serial-owned sequences (PostgreSQL).
    pub sequences: ObjectList<Sequence>,
    pub extensions: Vec<Extension>,
    /// Non-default schemas created with `CREATE SCHEMA` (PostgreSQL).
    pub namespaces: Vec<String>,
    /// Objects the engine carries by name without modelling them.
    pub opaque: ObjectList<OpaqueObject>,
    /// SQLite `CREATE VIRTUAL TABLE … USING module(…)`.
    pub virtual_tables: ObjectList<VirtualTable>,
    /// PostgreSQL row-level security policies.
    pub policies: Vec<Policy>,
    /// PostgreSQL: the tables and schemas publications publish.
    pub publication_members: Vec<PublicationMember>,
    /// `COMMENT ON SCHEMA`: (schema, comment), sorted.
    pub namespace_comments: Vec<(String, String)>,
    /// `-- migrate:renamed-from` annotations of the schema files.
    pub renames: Renames,
}

impl Schema {
    pub fn empty(dialect: Dialect) -> Self {
        Schema {
            dialect,
            tables: ObjectList::new(),
            indexes: ObjectList::new(),
            enums: ObjectList::new(),
            views: ObjectList::new(),
            sequences: ObjectList::new(),
            extensions: Vec::new(),
            namespaces: Vec::new(),
            opaque: ObjectList::new(),
            virtual_tables: ObjectList::new(),
            policies: Vec::new(),
            publication_members: Vec::new(),
            namespace_comments: Vec::new(),
            renames: Renames::default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
            && self.indexes.is_empty()
            && self.enums.is_empty()
            && self.views.is_empty()
            && self.sequences.is_empty()
            && self.extensions.is_empty()
            && self.namespaces.is_empty()
            && self.opaque.is_empty()
            && self.virtual_tables.is_empty()
            && self.policies.is_empty()
            && self.publication_members.is_empty()
    }

    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.find_named(self.dialect, name)
    }

    pub fn table_mut(&mut self, name: &QualifiedName) -> Option<&mut Table> {
        self.tables.find_named_mut(self.dialect, name)
    }

    /// Indexes on `table`, in declaration order.
    pub fn indexes_on<'a>(&'a self, table: &'a QualifiedName) -> impl Iterator<Item = &'a Index> {
        self.indexes
            .positions_aliased(
                self.dialect,
                Alias::OnTable,
                table.schema.as_deref(),
                &table.name,
            )
            .into_iter()
            .map(|i| &self.indexes[i])
            .filter(move |i| i.table.same_as(table, self.dialect))
    }

    pub fn index(&self, name: &QualifiedName) -> Option<&Index> {
        self.indexes.find_named(self.dialect, name)
    }

    pub fn enum_type(&self, name: &QualifiedName) -> Option<&Enum> {
        self.enums.find_named(self.dialect, name)
    }

    pub fn view(&self, name: &QualifiedName) -> Option<&View> {
        self.views.find_named(self.dialect, name)
    }

    pub fn virtual_table(&self, name: &QualifiedName) -> Option<&VirtualTable> {
        self.virtual_tables.find_named(self.dialect, name)
    }

    pub fn sequence(&self, name: &QualifiedName) -> Option<&Sequence> {
        self.sequences.find_named(self.dialect, name)
    }

    /// Opaque objects named `name` in `namespace` (every kind, overloads
    /// included), in order.
    pub fn opaque_named<'a>(
        &'a self,
        namespace: Option<&str>,
        name: &str,
    ) -> impl Iterator<Item = &'a OpaqueObject> {
        self.opaque
            .positions_named(self.dialect, namespace, name)
            .into_iter()
            .map(|i| &self.opaque[i])
    }

    /// Puts every list in a canonical order so that two schemas holding the
    /// same objects compare equal with `==` whatever order they were built in.
    /// Column order is kept: it is visible to `SELECT *` and to SQLite.
    pub fn sort(&mut self) {
        let d = self.dialect;
        fn key(d: Dialect, n: &QualifiedName) -> (Option<String>, String) {
            (
                n.schema.as_deref().map(|s| d.name_key(s).into_owned()),
                d.name_key(&n.name).into_owned(),
            )
        }
        self.tables.sort_by_key(|a| key(d, &a.name));
        for t in &mut self.tables {
            t.sort();
        }
        self.indexes.sort_by_key(|a| key(d, &a.name));
        self.enums.sort_by_key(|a| key(d, &a.name));
        self.views.sort_by_key(|a| key(d, &a.name));
        for v in &mut self.views {
            v.column_comments.sort();
        }
        self.sequences.sort_by_key(|a| key(d, &a.name));
        self.virtual_tables.sort_by_key(|a| key(d, &a.name));
        self.extensions.sort_by(|a, b| a.name.cmp(&b.name));
        self.namespaces.sort();
        self.namespace_comments.sort();
        self.policies
            .sort_by_key(|p| (key(d, &p.table), d.name_key(&p.name).into_owned()));
        for p in &mut self.policies {
            p.roles.sort();
        }
        self.publication_members.sort_by_key(|m| m.sort_key(d));
        self.opaque.sort_by_key(|o| {
            (
                o.kind,
                key(d, &o.name),
                o.on_table.as_ref().map(|t| key(d, t)),
                o.signature.clone(),
            )
        });
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub name: QualifiedName,
    /// In table order.
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub uniques: Vec<UniqueConstraint>,
    pub checks: Vec<CheckConstraint>,
    pub foreign_keys: Vec<ForeignKey>,
    pub comment: Option<String>,
    /// SQLite `WITHOUT ROWID`.
    pub without_rowid: bool,
    /// SQLite `STRICT`.
    pub strict: bool,
    /// PostgreSQL options kept on the table itself (persistence, storage
    /// parameters, row security, replica identity).
    pub options: TableOptions,
    /// `COMMENT ON CONSTRAINT c ON t`: (constraint name, comment), sorted.
    pub constraint_comments: Vec<(String, String)>,
    /// PostgreSQL `PARTITION BY …`: a partitioned table, which holds no rows itself.
    pub partition_by: Option<Box<PartitionBy>>,
    /// PostgreSQL: a partition of another table (`PARTITION OF` or `ATTACH
    /// PARTITION`). Its columns are all listed (a partition has its parent's);
    /// constraints and indexes it has because its parent has them are not.
    pub partition_of: Option<Box<PartitionOf>>,
    /// PostgreSQL `INHERITS (…)`, in order. Inherited columns are listed
    /// (merged as the server merges them), inherited checks are not.
    pub inherits: Vec<QualifiedName>,
    /// PostgreSQL `EXCLUDE` constraints.
    pub exclusions: Vec<ExclusionConstraint>,
    /// PostgreSQL, a partitioned table: the name of the copy of its primary
    /// key and of each unique constraint on each partition (the constraint
    /// and its index share the name), sorted. Set by `ALTER INDEX … ATTACH
    /// PARTITION` of the partition's constraint, or as the server names the
    /// copies it makes itself.
    pub constraint_copies: Vec<ConstraintCopy>,
}

/// A partition's copy of a partitioned table's primary key or unique
/// constraint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConstraintCopy {
    /// The partitioned table's constraint.
    pub constraint: String,
    pub table: QualifiedName,
    pub name: String,
}

impl Table {
    pub fn new(name: QualifiedName) -> Self {
        Table {
            name,
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            comment: None,
            without_rowid: false,
            strict: false,
            options: TableOptions::default(),
            constraint_comments: Vec::new(),
            partition_by: None,
            partition_of: None,
            inherits: Vec::new(),
            exclusions: Vec::new(),
            constraint_copies: Vec::new(),
        }
    }

    /// The name of the copy of the constraint `constraint` on `table`.
    pub fn constraint_copy_on(
        &self,
        constraint: &str,
        table: &QualifiedName,
        dialect: Dialect,
    ) -> Option<&str> {
        self.constraint_copies
            .iter()
            .find(|c| {
                dialect.same_name(&c.constraint, constraint) && c.table.same_as(table, dialect)
            })
            .map(|c| c.name.as_str())
    }

    /// Records `name` as the copy of `constraint` on `table` (replacing an
    /// earlier one).
    pub fn set_constraint_copy(
        &mut self,
        constraint: &str,
        table: QualifiedName,
        name: String,
        dialect: Dialect,
    ) {
        self.constraint_copies.retain(|c| {
            !(dialect.same_name(&c.constraint, constraint) && c.table.same_as(&table, dialect))
        });
        self.constraint_copies.push(ConstraintCopy {
            constraint: constraint.to_string(),
            table,
            name,
        });
        self.constraint_copies.sort();
    }

    /// Whether this table is a partition or an inheritance child of `parent`.
    pub fn is_child_of(&self, parent: &QualifiedName, dialect: Dialect) -> bool {
        self.partition_of
            .as_ref()
            .is_some_and(|p| p.parent.same_as(parent, dialect))
            || self.inherits.iter().any(|p| p.same_as(parent, dialect))
    }

    pub fn column(&self, name: &str, dialect: Dialect) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| dialect.same_name(&c.name, name))
    }

    /// The names of its named constraints (keys, uniques, checks, foreign
    /// keys, exclusions).
    pub fn constraint_names(&self) -> impl Iterator<Item = &str> {
        self.primary_key
            .iter()
            .filter_map(|k| k.name.as_deref())
            .chain(self.uniques.iter().filter_map(|u| u.name.as_deref()))
            .chain(self.checks.iter().filter_map(|c| c.name.as_deref()))
            .chain(self.foreign_keys.iter().filter_map(|f| f.name.as_deref()))
            .chain(self.exclusions.iter().filter_map(|x| x.name.as_deref()))
    }

    /// Follows an index of the table (or the index behind one of its
    /// keys) to its new name: the options that name it follow it.
    pub fn index_renamed(&mut self, old: &str, new: &str, dialect: Dialect) {
        if self
            .options
            .cluster_on
            .as_deref()
            .is_some_and(|c| dialect.same_name(c, old))
        {
            self.options.cluster_on = Some(new.to_string());
        }
        if matches!(&self.options.replica_identity, ReplicaIdentity::Index(i) if dialect.same_name(i, old))
        {
            self.options.replica_identity = ReplicaIdentity::Index(new.to_string());
        }
    }

    /// An index of the table is gone: it orders no `CLUSTER`, and a replica
    /// identity using it identifies nothing (the server's `relreplident`
    /// stays `i` with no index to use).
    pub fn index_dropped(&mut self, name: &str, dialect: Dialect) {
        if self
            .options
            .cluster_on
            .as_deref()
            .is_some_and(|c| dialect.same_name(c, name))
        {
            self.options.cluster_on = None;
        }
        if matches!(&self.options.replica_identity, ReplicaIdentity::Index(i) if dialect.same_name(i, name))
        {
            self.options.replica_identity = ReplicaIdentity::Nothing;
        }
    }

    /// Drops the comments of constraints the table no longer has.
    pub fn forget_dropped_constraint_comments(&mut self, dialect: Dialect) {
        let names: Vec<&str> = self.constraint_names().collect();
        let keep: Vec<bool> = self
            .constraint_comments
            .iter()
            .map(|(n, _)| names.iter().any(|m| dialect.same_name(m, n)))
            .collect();
        let mut keep = keep.into_iter();
        self.constraint_comments
            .retain(|_| keep.next().unwrap_or(false));
    }

    /// Drops the copies of keys the table no longer has.
    pub fn forget_dropped_constraint_copies(&mut self, dialect: Dialect) {
        let keys: Vec<String> = self
            .primary_key
            .iter()
            .filter_map(|k| k.name.clone())
            .chain(self.uniques.iter().filter_map(|u| u.name.clone()))
            .collect();
        self.constraint_copies
            .retain(|c| keys.iter().any(|k| dialect.same_name(k, &c.constraint)));
    }

    pub fn column_mut(&mut self, name: &str, dialect: Dialect) -> Option<&mut Column> {
        self.columns
            .iter_mut()
            .find(|c| dialect.same_name(&c.name, name))
    }

    /// Constraint order is not significant to any database: sort by a stable key.
    fn sort(&mut self) {
        self.uniques
            .sort_by(|a, b| (&a.name, &a.columns).cmp(&(&b.name, &b.columns)));
        self.checks
            .sort_by(|a, b| (&a.name, &a.expr.key).cmp(&(&b.name, &b.expr.key)));
        self.foreign_keys
            .sort_by(|a, b| (&a.name, &a.columns).cmp(&(&b.name, &b.columns)));
        self.constraint_comments.sort();
        self.exclusions.sort_by(|a, b| a.name.cmp(&b.name));
        self.constraint_copies.sort();
    }
}

/// `EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (…)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExclusionConstraint {
    pub name: Option<String>,
    /// Everything between `EXCLUDE` and the deferrability, method always
    /// said (`USING gist (…) [INCLUDE (…)] [WHERE (…)]`), compared by key.
    pub definition: Expr,
    pub deferrable: Deferrable,
}

/// What PostgreSQL keeps on a table besides its columns and constraints.
/// Every field's default is what `CREATE TABLE` without options gives.
#[derive(Clone, Debug, Default, Eq)]
pub struct TableOptions {
    /// `CREATE UNLOGGED TABLE` / `SET UNLOGGED`.
    pub unlogged: bool,
    /// `WITH (fillfactor = 70, …)` / `SET (…)`, in the order the server
    /// keeps them (`reloptions`: as written, a parameter set again moves to
    /// the end), which pg_dump prints; compared regardless of order.
    pub storage: Vec<StorageParam>,
    /// `ENABLE ROW LEVEL SECURITY`.
    pub row_security: bool,
    /// `FORCE ROW LEVEL SECURITY`.
    pub force_row_security: bool,
    pub replica_identity: ReplicaIdentity,
    /// `ALTER TABLE … CLUSTER ON i`: the index (in the table's schema) a
    /// later `CLUSTER` orders the rows by.
    pub cluster_on: Option<String>,
}

/// Storage parameters compare as sets: their order changes nothing on the
/// server.
impl PartialEq for TableOptions {
    fn eq(&self, other: &Self) -> bool {
        self.unlogged == other.unlogged
            && same_storage(&self.storage, &other.storage)
            && self.row_security == other.row_security
            && self.force_row_security == other.force_row_security
            && self.replica_identity == other.replica_identity
            && self.cluster_on == other.cluster_on
    }
}

/// Whether two lists hold the same storage parameters, in any order.
pub fn same_storage(a: &[StorageParam], b: &[StorageParam]) -> bool {
    a.len() == b.len() && a.iter().all(|p| b.contains(p))
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReplicaIdentity {
    #[default]
    Default,
    Full,
    Nothing,
    /// `USING INDEX i`: the index's name (in the table's schema).
    Index(String),
}

/// A storage parameter as `pg_class.reloptions` keeps it: `name=value`, the
/// name lower-case, the value in the server's spelling (`FALSE` → `false`,
/// `070` → `70`, a bare name → `true`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StorageParam {
    pub name: String,
    pub value: String,
}

impl StorageParam {
    /// `value` as written (quotes removed); `None` for a bare `WITH (name)`.
    pub fn new(name: &str, value: Option<&str>) -> Self {
        let value = match value {
            None => "true".to_string(),
            Some(v) => match v.parse::<i64>() {
                Ok(n) => n.to_string(),
                Err(_) if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") => {
                    v.to_ascii_lowercase()
                }
                Err(_) => v.to_string(),
            },
        };
        StorageParam {
            name: name.to_ascii_lowercase(),
            value,
        }
    }

    /// Parses one `reloptions` entry (`fillfactor=70`).
    pub fn from_catalog(entry: &str) -> Self {
        match entry.split_once('=') {
            Some((name, value)) => StorageParam {
                name: name.to_string(),
                value: value.to_string(),
            },
            None => StorageParam {
                name: entry.to_string(),
                value: String::new(),
            },
        }
    }
}

/// `PARTITION BY strategy (key, …)`, as `pg_get_partkeydef` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionBy {
    pub strategy: PartitionStrategy,
    /// Columns and expressions, in key order.
    pub key: Vec<IndexExpr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartitionStrategy {
    Range,
    List,
    Hash,
}

impl PartitionStrategy {
    pub fn as_sql(self) -> &'static str {
        match self {
            PartitionStrategy::Range => "RANGE",
            PartitionStrategy::List => "LIST",
            PartitionStrategy::Hash => "HASH",
        }
    }
}

/// The parent and bound of a partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    pub bound: PartitionBound,
}

/// A partition bound, its values in the spelling of
/// `pg_get_expr(relpartbound)`: numbers bare, other values as quoted
/// literals of the key column's type (`'2024-01-01 00:00:00+00'` for a
/// timestamptz key, printed in UTC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartitionBound {
    Default,
    Range {
        from: Vec<BoundDatum>,
        to: Vec<BoundDatum>,
    },
    List(Vec<BoundDatum>),
    Hash {
        modulus: u32,
        remainder: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BoundDatum {
    MinValue,
    MaxValue,
    Null,
    /// A literal as the server prints it (`10`, `'a'`).
    Value(String),
}

impl std::fmt::Display for BoundDatum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BoundDatum::MinValue => f.write_str("MINVALUE"),
            BoundDatum::MaxValue => f.write_str("MAXVALUE"),
            BoundDatum::Null => f.write_str("NULL"),
            BoundDatum::Value(v) => f.write_str(v),
        }
    }
}

impl std::fmt::Display for PartitionBound {
    /// As `pg_get_expr(relpartbound)` prints it; valid after `ATTACH PARTITION t`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |values: &[BoundDatum]| {
            values
                .iter()
                .map(BoundDatum::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            PartitionBound::Default => f.write_str("DEFAULT"),
            PartitionBound::Range { from, to } => {
                write!(f, "FOR VALUES FROM ({}) TO ({})", list(from), list(to))
            }
            PartitionBound::List(values) => write!(f, "FOR VALUES IN ({})", list(values)),
            PartitionBound::Hash { modulus, remainder } => write!(
                f,
                "FOR VALUES WITH (modulus {modulus}, remainder {remainder})"
            ),
        }
    }
}

/// Sets or replaces `params` in `list` (kept sorted), as `SET (…)` does.
pub fn set_storage(list: &mut Vec<StorageParam>, params: Vec<StorageParam>) {
    set_storage_in_order(list, params);
    list.sort();
}

/// `SET (…)` as the server keeps it: the parameters it names go to the
/// end, in its order.
pub fn set_storage_in_order(list: &mut Vec<StorageParam>, params: Vec<StorageParam>) {
    for p in params {
        list.retain(|q| q.name != p.name);
        list.push(p);
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    /// SQLite `NOT NULL ON CONFLICT …`: what an INSERT or UPDATE that
    /// stores NULL does when the statement names no resolution of its own
    /// (`REPLACE` stores the column's default). Only with `nullable` false.
    pub not_null_conflict: Option<ConflictAction>,
    pub default: Option<Expr>,
    pub identity: Option<Identity>,
    pub generated: Option<Generated>,
    /// SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`.
    pub autoincrement: bool,
    pub collation: Option<String>,
    pub comment: Option<String>,
    /// `ALTER COLUMN … SET STATISTICS n`; `None` is the server's default (-1).
    pub statistics: Option<i32>,
    /// `ALTER COLUMN … SET STORAGE`; `None` is the type's own (`typstorage`).
    pub storage: Option<ColumnStorage>,
    /// `COMPRESSION pglz|lz4`; `None` is the server's default method.
    pub compression: Option<String>,
    /// `ALTER COLUMN … SET (n_distinct = …)`, as `pg_attribute.attoptions`
    /// keeps them.
    pub attribute_options: Vec<StorageParam>,
    /// The options of an identity column's sequence (`GENERATED … AS
    /// IDENTITY (START WITH 10)`), with the server's defaults filled in for
    /// the column's type; `None` unless `identity` is set.
    pub identity_options: Option<SequenceOptions>,
    /// PostgreSQL: the column comes from the `INHERITS` parents only, the
    /// table does not declare it itself (`attislocal` false), so its
    /// `CREATE TABLE` does not list it. Always false in partitions.
    pub inherited: bool,
}

impl Column {
    /// The default that gives a value: `DEFAULT NULL` (kept, so that it is
    /// rendered as written and compares with what the server prints, e.g.
    /// `NULL::character varying`) is the same as none.
    pub fn default_value(&self) -> Option<&Expr> {
        self.default.as_ref().filter(|e| !e.is_null())
    }

    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            not_null_conflict: None,
            default: None,
            identity: None,
            generated: None,
            autoincrement: false,
            collation: None,
            comment: None,
            statistics: None,
            storage: None,
            compression: None,
            attribute_options: Vec::new(),
            identity_options: None,
            inherited: false,
        }
    }
}

/// How PostgreSQL keeps a column's values (`pg_attribute.attstorage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnStorage {
    Plain,
    External,
    Extended,
    Main,
}

impl ColumnStorage {
    pub fn as_sql(self) -> &'static str {
        match self {
            ColumnStorage::Plain => "PLAIN",
            ColumnStorage::External => "EXTERNAL",
            ColumnStorage::Extended => "EXTENDED",
            ColumnStorage::Main => "MAIN",
        }
    }

    /// From `SET STORAGE x` (any case) or `attstorage`'s letter.
    pub fn parse(word: &str) -> Option<ColumnStorage> {
        match word.to_ascii_lowercase().as_str() {
            "plain" | "p" => Some(ColumnStorage::Plain),
            "external" | "e" => Some(ColumnStorage::External),
            "extended" | "x" => Some(ColumnStorage::Extended),
            "main" | "m" => Some(ColumnStorage::Main),
            _ => None,
        }
    }
}

/// A column type in the dialect's canonical spelling.
///
/// PostgreSQL: the spelling of `format_type()` (`integer`, `character
/// varying(255)`, `timestamp with time zone`, `numeric(10,2)`), so that a
/// parsed type and an introspected one compare equal; `serial` is not a type
/// but `integer` with a sequence default. User types (enums, domains) are
/// their (possibly qualified) name. SQLite: the declared type, upper-cased
/// with white space collapsed (SQLite stores it verbatim), and empty when
/// the column was declared without one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ColumnType {
    /// Canonical base name, without modifiers or array brackets.
    pub name: String,
    /// Type modifiers: `(255)`, `(10,2)`, `(3)` for timestamp precision.
    pub modifiers: Vec<u32>,
    /// Number of array dimensions (PostgreSQL `text[]` is 1).
    pub array_dims: u8,
    /// Whether this names a user-defined type (enum or domain) rather than a builtin.
    pub user_defined: bool,
}

impl ColumnType {
    pub fn simple(name: impl Into<String>) -> Self {
        ColumnType {
            name: name.into(),
            modifiers: Vec::new(),
            array_dims: 0,
            user_defined: false,
        }
    }
}

impl std::fmt::Display for ColumnType {
    /// The canonical SQL spelling: `character varying(255)`, `text[]`,
    /// `timestamp(3) with time zone` (PostgreSQL puts the precision after the
    /// word `timestamp`/`time`, before `with/without time zone`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mods = if self.modifiers.is_empty() {
            String::new()
        } else {
            let parts: Vec<String> = self.modifiers.iter().map(u32::to_string).collect();
            format!("({})", parts.join(","))
        };
        match self.name.split_once(" with") {
            Some((head, tail)) if !mods.is_empty() && (head == "timestamp" || head == "time") => {
                write!(f, "{head}{mods} with{tail}")?
            }
            _ => write!(f, "{}{mods}", self.name)?,
        }
        for _ in 0..self.array_dims {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`
    ByDefault,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    pub expr: Expr,
    /// `STORED` (PostgreSQL only has stored); SQLite also has `VIRTUAL`.
    pub stored: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrimaryKey {
    /// `None` when the source gave no name and the dialect does not name it
    /// (SQLite). The PostgreSQL interpreter fills in the server's default name.
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// PostgreSQL `DEFERRABLE [INITIALLY DEFERRED]`.
    pub deferrable: Deferrable,
    /// SQLite `ON CONFLICT …`: what an INSERT or UPDATE that breaks the key
    /// does when the statement names no resolution of its own.
    pub on_conflict: Option<ConflictAction>,
    /// PostgreSQL: what the key's index carries besides its columns.
    pub index: KeyIndex,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UniqueConstraint {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// PostgreSQL 15 `NULLS NOT DISTINCT`.
    pub nulls_not_distinct: bool,
    pub deferrable: Deferrable,
    /// SQLite `ON CONFLICT …`, as on [`PrimaryKey`].
    pub on_conflict: Option<ConflictAction>,
    /// PostgreSQL: what the key's index carries besides its columns.
    pub index: KeyIndex,
}

/// What the index behind a PostgreSQL primary key or unique constraint
/// carries besides its key: `INCLUDE (…)` columns and `WITH (…)`
/// storage parameters, as `pg_get_constraintdef` prints them after the key.
#[derive(Clone, Debug, Default, Eq)]
pub struct KeyIndex {
    /// `INCLUDE (…)`, in order.
    pub include: Vec<String>,
    /// `WITH (fillfactor = 70, …)`, in the server's order (`reloptions`);
    /// compared regardless of order.
    pub storage: Vec<StorageParam>,
}

/// Storage parameters compare as sets: their order changes nothing on the
/// server.
impl PartialEq for KeyIndex {
    fn eq(&self, other: &Self) -> bool {
        let KeyIndex { include, storage } = self;
        *include == other.include && same_storage(storage, &other.storage)
    }
}

/// SQLite's conflict clause on a key (`ON CONFLICT REPLACE`). `ABORT` is
/// the default SQLite applies without a clause, but is kept as written: the
/// stored CREATE text shows it, so introspection reads it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConflictAction {
    Rollback,
    Abort,
    Fail,
    Ignore,
    Replace,
}

impl ConflictAction {
    pub fn keyword(self) -> &'static str {
        match self {
            ConflictAction::Rollback => "ROLLBACK",
            ConflictAction::Abort => "ABORT",
            ConflictAction::Fail => "FAIL",
            ConflictAction::Ignore => "IGNORE",
            ConflictAction::Replace => "REPLACE",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Self> {
        [
            ConflictAction::Rollback,
            ConflictAction::Abort,
            ConflictAction::Fail,
            ConflictAction::Ignore,
            ConflictAction::Replace,
        ]
        .into_iter()
        .find(|a| a.keyword().eq_ignore_ascii_case(word))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckConstraint {
    pub name: Option<String>,
    pub expr: Expr,
    /// PostgreSQL `NO INHERIT`.
    pub no_inherit: bool,
    /// PostgreSQL `NOT VALID`: existing rows were not checked (until
    /// `VALIDATE CONSTRAINT`).
    pub not_valid: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referenced_table: QualifiedName,
    /// Always filled in: `REFERENCES t` without columns means t's primary key,
    /// and the interpreter resolves it.
    pub referenced_columns: Vec<String>,
    pub on_delete: ForeignKeyAction,
    pub on_update: ForeignKeyAction,
    pub deferrable: Deferrable,
    /// PostgreSQL `NOT VALID`.
    pub not_valid: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ForeignKeyAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl ForeignKeyAction {
    pub fn as_sql(self) -> &'static str {
        match self {
            ForeignKeyAction::NoAction => "NO ACTION",
            ForeignKeyAction::Restrict => "RESTRICT",
            ForeignKeyAction::Cascade => "CASCADE",
            ForeignKeyAction::SetNull => "SET NULL",
            ForeignKeyAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Deferrable {
    #[default]
    NotDeferrable,
    InitiallyImmediate,
    InitiallyDeferred,
}

#[derive(Clone, Debug, Eq)]
pub struct Index {
    /// Schema-qualified like its table on PostgreSQL. SQLite indexes are named too.
    pub name: QualifiedName,
    pub table: QualifiedName,
    pub unique: bool,
    pub columns: Vec<IndexColumn>,
    /// Partial index `WHERE` predicate.
    pub predicate: Option<Expr>,
    /// Access method; `None` is the default (btree).
    pub method: Option<String>,
    /// PostgreSQL `INCLUDE (...)` columns.
    pub include: Vec<String>,
    pub nulls_not_distinct: bool,
    /// PostgreSQL `WITH (fillfactor = 70, …)` / `SET (…)`, in the order the
    /// server keeps them (`reloptions`: as written, a parameter set again
    /// moves to the end), which pg_dump prints; compared regardless of order.
    pub storage: Vec<StorageParam>,
    pub comment: Option<String>,
    /// PostgreSQL, an index on a partitioned table: the name of its copy on
    /// each partition (the index attached to it, in the partition's schema),
    /// sorted by partition. Set by `ALTER INDEX … ATTACH PARTITION`, or as
    /// the server names the copies it makes itself.
    pub partition_copies: Vec<IndexCopy>,
}

/// Storage parameters compare as sets: their order changes nothing on the
/// server.
impl PartialEq for Index {
    fn eq(&self, other: &Self) -> bool {
        // Destructured, so that a field added is compared too.
        let Index {
            name,
            table,
            unique,
            columns,
            predicate,
            method,
            include,
            nulls_not_distinct,
            storage,
            comment,
            partition_copies,
        } = self;
        *name == other.name
            && *table == other.table
            && *unique == other.unique
            && *columns == other.columns
            && *predicate == other.predicate
            && *method == other.method
            && *include == other.include
            && *nulls_not_distinct == other.nulls_not_distinct
            && same_storage(storage, &other.storage)
            && *comment == other.comment
            && *partition_copies == other.partition_copies
    }
}

/// A partition's copy of a partitioned index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexCopy {
    pub table: QualifiedName,
    pub name: String,
    /// On a sub-partition, the partitioned partition whose copy this one
    /// is attached to (a copy of a copy); `None` when attached to the index
    /// itself.
    pub under: Option<QualifiedName>,
}

impl Index {
    /// Whether the index reads `column` (by name, in an expression, in its
    /// predicate or its INCLUDE list).
    pub fn reads(&self, column: &str) -> bool {
        self.columns.iter().any(|c| match &c.expr {
            IndexExpr::Column(name) => name.eq_ignore_ascii_case(column),
            IndexExpr::Expression(expr) => expr.mentions(column),
        }) || self.include.iter().any(|c| c.eq_ignore_ascii_case(column))
            || self.predicate.as_ref().is_some_and(|p| p.mentions(column))
    }

    /// The server builds an index again from its definition when a column
    /// it reads changes type, leaving out its statistics targets.
    pub fn forget_statistics(&mut self) {
        for c in &mut self.columns {
            c.statistics = None;
        }
    }

    /// The name of the copy of this index on `table`, when it has one.
    pub fn copy_on(&self, table: &QualifiedName, d: crate::dialect::Dialect) -> Option<&str> {
        self.partition_copies
            .iter()
            .find(|c| c.table.same_as(table, d))
            .map(|c| c.name.as_str())
    }

    /// Records `name` as the copy on `table` (replacing an earlier one).
    pub fn set_copy(&mut self, table: QualifiedName, name: String, d: crate::dialect::Dialect) {
        self.set_copy_under(table, name, None, d);
    }

    /// Records `name` as the copy on `table`, attached to the copy on the
    /// partitioned partition `under` (or to the index itself).
    pub fn set_copy_under(
        &mut self,
        table: QualifiedName,
        name: String,
        under: Option<QualifiedName>,
        d: crate::dialect::Dialect,
    ) {
        self.partition_copies
            .retain(|c| !c.table.same_as(&table, d));
        self.partition_copies.push(IndexCopy { table, name, under });
        self.partition_copies.sort();
    }

    /// The name of the index a copy on `under` is attached to: the copy
    /// there, or the index itself.
    pub fn copy_parent(
        &self,
        under: Option<&QualifiedName>,
        d: crate::dialect::Dialect,
    ) -> Option<QualifiedName> {
        match under {
            None => Some(self.name.clone()),
            Some(t) => self
                .copy_on(t, d)
                .map(|n| QualifiedName::with_schema(t.schema.clone(), n)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexColumn {
    pub expr: IndexExpr,
    pub descending: bool,
    /// `NULLS FIRST/LAST` when it is not the default for the direction.
    pub nulls_first: Option<bool>,
    pub opclass: Option<String>,
    pub collation: Option<String>,
    /// PostgreSQL `ALTER INDEX … ALTER COLUMN n SET STATISTICS k` of an
    /// expression column; `None` is the server's default (-1).
    pub statistics: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexExpr {
    Column(String),
    Expression(Expr),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enum {
    pub name: QualifiedName,
    /// In declaration order: the order is part of the type (`ORDER BY`, `<`).
    pub values: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, Eq)]
pub struct View {
    pub name: QualifiedName,
    pub materialized: bool,
    /// The `SELECT …` (without `CREATE VIEW … AS`).
    pub definition: Definition,
    /// `WITH (security_barrier, …)` and `WITH [LOCAL|CASCADED] CHECK OPTION`
    /// (kept by PostgreSQL as `check_option=local|cascaded`, after the
    /// others), in the order the server keeps them (`reloptions`, as for
    /// tables' parameters); compared regardless of order.
    pub options: Vec<StorageParam>,
    pub comment: Option<String>,
    /// `COMMENT ON COLUMN v.c`: (column, comment), sorted.
    pub column_comments: Vec<(String, String)>,
}

/// Options compare as sets: their order changes nothing on the server.
impl PartialEq for View {
    fn eq(&self, other: &Self) -> bool {
        // Destructured, so that a field added is compared too.
        let View {
            name,
            materialized,
            definition,
            options,
            comment,
            column_comments,
        } = self;
        *name == other.name
            && *materialized == other.materialized
            && *definition == other.definition
            && same_storage(options, &other.options)
            && *comment == other.comment
            && *column_comments == other.column_comments
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    pub name: QualifiedName,
    /// `OWNED BY table.column`: serial columns own theirs.
    pub owned_by: Option<(QualifiedName, String)>,
    pub options: SequenceOptions,
    /// `CREATE UNLOGGED SEQUENCE`.
    pub unlogged: bool,
    pub comment: Option<String>,
}

/// A SQLite virtual table: the module and its arguments are the whole
/// definition (SQLite hands them to the module as text). The module's shadow
/// tables (`<name>_data`, `<name>_node`…) are its own, not in the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualTable {
    pub name: QualifiedName,
    /// Lower-cased: `fts5`, `rtree`.
    pub module: String,
    /// Each argument's text, trimmed, with white space outside quotes
    /// collapsed to one space.
    pub arguments: Vec<String>,
}

impl Sequence {
    /// A `CREATE SEQUENCE name` with every option at its default.
    pub fn new(name: QualifiedName, owned_by: Option<(QualifiedName, String)>) -> Self {
        Sequence {
            name,
            owned_by,
            options: SequenceOptions::default(),
            unlogged: false,
            comment: None,
        }
    }
}

/// A sequence's options as `pg_sequence` keeps them: every value filled in,
/// so a sequence written without `START` compares equal to one the server
/// prints with `START 1`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SequenceOptions {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl Default for SequenceOptions {
    fn default() -> Self {
        SequenceOptions::defaults("bigint", 1)
    }
}

impl SequenceOptions {
    /// The server's defaults for a sequence of `data_type` counting by `increment`.
    pub fn defaults(data_type: &str, increment: i64) -> Self {
        let (min, max) = Self::default_bounds(data_type, increment);
        SequenceOptions {
            data_type: data_type.to_string(),
            start: if increment < 0 { max } else { min },
            increment,
            min,
            max,
            cache: 1,
            cycle: false,
        }
    }

    /// Whether going to `next` moves a bound inward: the server then
    /// refuses the change while the current value lies outside, so it is
    /// made with `RESTART` (at `next`'s start).
    pub fn narrows_to(&self, next: &SequenceOptions) -> bool {
        next.min > self.min || next.max < self.max
    }

    /// `NO MINVALUE`/`NO MAXVALUE` for a type and direction.
    pub fn default_bounds(data_type: &str, increment: i64) -> (i64, i64) {
        let (low, high) = match data_type {
            "smallint" => (i64::from(i16::MIN), i64::from(i16::MAX)),
            "integer" => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        if increment < 0 { (low, -1) } else { (1, high) }
    }
}

#[derive(Clone, Debug, Eq)]
pub struct Extension {
    pub name: String,
    pub schema: Option<String>,
    /// `VERSION '1.1'` / `UPDATE TO '1.1'`; `None` when the source does not
    /// say (the server installs its default). The server always says.
    pub version: Option<String>,
    pub comment: Option<String>,
}

impl PartialEq for Extension {
    /// A version is compared only when both sides say one: a schema that
    /// names none accepts whatever the server installed.
    fn eq(&self, other: &Self) -> bool {
        // `CREATE EXTENSION` also sets the comment of the extension's
        // control file: compared only when both say one, as the version.
        let both = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        self.name == other.name
            && self.schema == other.schema
            && both(&self.version, &other.version)
            && both(&self.comment, &other.comment)
    }
}

/// `CREATE POLICY name ON table …`: named per table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub name: String,
    pub table: QualifiedName,
    /// `AS PERMISSIVE` (the default) or `AS RESTRICTIVE`.
    pub permissive: bool,
    pub command: PolicyCommand,
    /// Role names, sorted; empty is `PUBLIC` (the default).
    pub roles: Vec<String>,
    pub using: Option<Expr>,
    pub with_check: Option<Expr>,
    pub comment: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PolicyCommand {
    #[default]
    All,
    Select,
    Insert,
    Update,
    Delete,
}

impl PolicyCommand {
    pub fn as_sql(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }
}

/// Kinds of objects kept by name, not modelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OpaqueKind {
    Function,
    Procedure,
    Trigger,
    /// Composite types, domains, ranges: types that are not enums.
    Type,
    Domain,
    Statistics,
    Policy,
    Rule,
    Aggregate,
    Collation,
    /// Identified by name and operand types (`signature`: `integer, integer`,
    /// `NONE` for a prefix operator's left operand).
    Operator,
    /// Named `source AS target` (canonical type names).
    Cast,
    /// Database-wide, named without a schema (`pg_event_trigger`).
    EventTrigger,
    /// Database-wide, named without a schema (`pg_publication`).
    Publication,
    /// Carries its parser and mappings in [`OpaqueObject::text_search`].
    TextSearchConfiguration,
    /// Carries its template and options in [`OpaqueObject::text_search`].
    TextSearchDictionary,
}

impl OpaqueKind {
    pub fn as_sql(self) -> &'static str {
        match self {
            OpaqueKind::Function => "FUNCTION",
            OpaqueKind::Procedure => "PROCEDURE",
            OpaqueKind::Trigger => "TRIGGER",
            OpaqueKind::Type => "TYPE",
            OpaqueKind::Domain => "DOMAIN",
            OpaqueKind::Statistics => "STATISTICS",
            OpaqueKind::Policy => "POLICY",
            OpaqueKind::Rule => "RULE",
            OpaqueKind::Aggregate => "AGGREGATE",
            OpaqueKind::Collation => "COLLATION",
            OpaqueKind::Operator => "OPERATOR",
            OpaqueKind::Cast => "CAST",
            OpaqueKind::EventTrigger => "EVENT TRIGGER",
            OpaqueKind::Publication => "PUBLICATION",
            OpaqueKind::TextSearchConfiguration => "TEXT SEARCH CONFIGURATION",
            OpaqueKind::TextSearchDictionary => "TEXT SEARCH DICTIONARY",
        }
    }
}

/// An object carried by kind and name: a function, a trigger, a composite
/// type. `definition` is the whole `CREATE` statement when it came from SQL.
#[derive(Clone, Debug)]
pub struct OpaqueObject {
    pub kind: OpaqueKind,
    pub name: QualifiedName,
    /// Triggers, policies and rules belong to a table; `DROP TRIGGER t ON tbl`.
    pub on_table: Option<QualifiedName>,
    pub definition: Definition,
    /// `COMMENT ON FUNCTION/TRIGGER/DOMAIN/…`.
    pub comment: Option<String>,
    /// Functions, procedures and aggregates: the input argument types in
    /// `format_type` spelling without modifiers (`integer, character
    /// varying`), OUT arguments left out, as PostgreSQL identifies an
    /// overload. Part of the object's identity.
    pub signature: Option<String>,
    /// What the definition or signature names, resolved against the schema
    /// when the object was built (by the interpreter) or read from
    /// `pg_depend` (introspection): what must exist before it is created
    /// and may only be dropped after it.
    pub references: Vec<ObjectRef>,
    /// Functions and procedures from SQL: their argument list and result,
    /// normalised, which `CREATE OR REPLACE` cannot change. Two versions
    /// with the same head are one routine whose body changed: replaced in
    /// place, so what uses it (defaults, checks, triggers) stays. `None`
    /// when unknown (read from a database).
    pub head: Option<String>,
    /// Text search configurations and dictionaries: what they hold, the
    /// same from SQL and from a database (their definition is only text).
    pub text_search: Option<TextSearch>,
    /// Triggers and event triggers: when they fire (`ALTER … DISABLE`,
    /// `ENABLE REPLICA|ALWAYS`), which no `CREATE` says.
    pub firing: Firing,
    /// Statistics objects: the target `ALTER STATISTICS … SET STATISTICS`
    /// gives (`None`: the default, the columns' own targets).
    pub statistics_target: Option<i32>,
}

/// When a trigger or event trigger fires, as `pg_trigger.tgenabled` and
/// `pg_event_trigger.evtenabled` say: `O`, `D`, `R`, `A`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Firing {
    /// In origin and local sessions (`ENABLE`), as created.
    #[default]
    Origin,
    /// Never (`DISABLE`).
    Disabled,
    /// In replica sessions only (`ENABLE REPLICA`).
    Replica,
    /// Always (`ENABLE ALWAYS`).
    Always,
}

impl Firing {
    /// The catalog's letter.
    pub fn from_catalog(letter: char) -> Option<Firing> {
        match letter {
            'O' => Some(Firing::Origin),
            'D' => Some(Firing::Disabled),
            'R' => Some(Firing::Replica),
            'A' => Some(Firing::Always),
            _ => None,
        }
    }

    /// The words of `ALTER EVENT TRIGGER e …` (and, with `TRIGGER t`
    /// after them, of `ALTER TABLE`).
    pub fn as_sql(self) -> &'static str {
        match self {
            Firing::Origin => "ENABLE",
            Firing::Disabled => "DISABLE",
            Firing::Replica => "ENABLE REPLICA",
            Firing::Always => "ENABLE ALWAYS",
        }
    }
}

impl OpaqueObject {
    pub fn new(
        kind: OpaqueKind,
        name: QualifiedName,
        on_table: Option<QualifiedName>,
        definition: Definition,
    ) -> Self {
        OpaqueObject {
            kind,
            name,
            on_table,
            definition,
            signature: None,
            references: Vec::new(),
            head: None,
            comment: None,
            text_search: None,
            firing: Firing::Origin,
            statistics_target: None,
        }
    }

    /// Whether `other` differs from it only in what an `ALTER` sets in
    /// place: when it fires, its statistics target.
    pub fn same_but_state(&self, other: &OpaqueObject) -> bool {
        self.kind == other.kind
            && self.name == other.name
            && self.on_table == other.on_table
            && self.signature == other.signature
            && self.definition == other.definition
    }
}

/// References are facts derived from the definition (and read from another
/// catalog on a live database): two objects are equal when their identity
/// and definition are.
impl PartialEq for OpaqueObject {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.name == other.name
            && self.on_table == other.on_table
            && self.signature == other.signature
            && self.definition == other.definition
            && self.comment == other.comment
            && self.text_search == other.text_search
            && self.firing == other.firing
            && self.statistics_target == other.statistics_target
    }
}
impl Eq for OpaqueObject {}

/// An object another object's definition names.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    pub kind: RefKind,
    pub name: QualifiedName,
}

/// The namespace a reference is resolved in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    /// A table, view or sequence; also a table's row type used as a type.
    Relation,
    /// An enum, composite type, domain or range type.
    Type,
    /// A function, procedure or aggregate (by name: any of its overloads).
    Function,
    Collation,
    TextSearchConfiguration,
    TextSearchDictionary,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expression_built_again_is_the_same() {
        let d = Dialect::Postgres;
        let first = Expr::new("lower(note) = 'x'", d);
        // Enough other texts to push the first out of those kept.
        for i in 0..40 {
            let again = Expr::new("lower(note) = 'x'", d);
            assert_eq!(
                (&again.sql, &again.key, &again.strings),
                (&first.sql, &first.key, &first.strings)
            );
            assert!(again.mentions("note") && again.mentions("lower") && !again.mentions("n1"));
            Expr::new(format!("n{i} + 1"), d);
        }
        // Kept per dialect: SQLite folds names, PostgreSQL does not.
        let pg = Expr::new("\"A\" = 1", Dialect::Postgres);
        let sqlite = Expr::new("\"A\" = 1", Dialect::Sqlite);
        assert_eq!(pg.key, Expr::new("\"A\" = 1", Dialect::Postgres).key);
        assert_eq!(sqlite.key, Expr::new("\"A\" = 1", Dialect::Sqlite).key);
        assert_eq!(
            sqlite.key,
            crate::ddl::normalize::expr_key("\"A\" = 1", Dialect::Sqlite)
        );
        assert_eq!(
            pg.key,
            crate::ddl::normalize::expr_key("\"A\" = 1", Dialect::Postgres)
        );
    }
}
