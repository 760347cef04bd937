//! Schemas built in Rust, diffed, and the exact steps asserted in order
//! (through `describe`, which names every step and object).

use super::{describe, diff};
use crate::dialect::Dialect;
use crate::plan::{Destructive, EnumValuePosition, Plan, Step};
use crate::schema::{
    CheckConstraint, Column, ColumnType, Definition, Enum, Expr, ForeignKey, Generated, Identity,
    Index, IndexColumn, IndexExpr, OpaqueKind, OpaqueObject, PrimaryKey, QualifiedName, Schema,
    Sequence, Table, UniqueConstraint, View,
};

const PG: Dialect = Dialect::Postgres;
const LITE: Dialect = Dialect::Sqlite;

fn q(name: &str) -> QualifiedName {
    QualifiedName::new(name)
}

fn col(name: &str, ty: &str) -> Column {
    Column::new(name, ColumnType::simple(ty))
}

fn required(mut c: Column) -> Column {
    c.nullable = false;
    c
}

fn with_default(mut c: Column, sql: &str, d: Dialect) -> Column {
    c.default = Some(Expr::new(sql, d));
    c
}

fn table(name: &str, columns: Vec<Column>) -> Table {
    let mut t = Table::new(q(name));
    t.columns = columns;
    t
}

/// `name (id integer primary key)` plus `extra` columns.
fn keyed(name: &str, d: Dialect, extra: Vec<Column>) -> Table {
    let id = match d {
        Dialect::Postgres => required(col("id", "integer")),
        Dialect::Sqlite => col("id", "INTEGER"),
    };
    let mut t = table(name, std::iter::once(id).chain(extra).collect());
    t.primary_key = Some(PrimaryKey {
        name: match d {
            Dialect::Postgres => Some(format!("{name}_pkey")),
            Dialect::Sqlite => None,
        },
        columns: vec!["id".into()],
        ..Default::default()
    });
    t
}

fn fk(name: &str, column: &str, target: &str) -> ForeignKey {
    ForeignKey {
        not_valid: false,
        name: Some(name.into()),
        columns: vec![column.into()],
        referenced_table: q(target),
        referenced_columns: vec!["id".into()],
        on_delete: Default::default(),
        on_update: Default::default(),
        deferrable: Default::default(),
    }
}

fn index(name: &str, on: &str, columns: &[&str]) -> Index {
    Index {
        partition_copies: Vec::new(),
        comment: None,
        storage: Vec::new(),
        name: q(name),
        table: q(on),
        unique: false,
        columns: columns
            .iter()
            .map(|c| IndexColumn {
                expr: IndexExpr::Column((*c).into()),
                descending: false,
                nulls_first: None,
                opclass: None,
                collation: None,
                statistics: None,
            })
            .collect(),
        predicate: None,
        method: None,
        include: Vec::new(),
        nulls_not_distinct: false,
    }
}

fn schema(d: Dialect, tables: Vec<Table>) -> Schema {
    let mut s = Schema::empty(d);
    s.tables = tables.into();
    s
}

fn lines(plan: &Plan) -> Vec<String> {
    plan.steps.iter().map(|s| describe(&s.step)).collect()
}

fn destructive(plan: &Plan) -> Vec<Destructive> {
    plan.destructive().cloned().collect()
}

/// users(id, email) and posts(id, author_id → users, title), an index, a
/// view, an enum, a sequence, comments, a function and a trigger.
fn rich(d: Dialect) -> Schema {
    let text = match d {
        Dialect::Postgres => "text",
        Dialect::Sqlite => "TEXT",
    };
    let mut users = keyed("users", d, vec![required(col("email", text))]);
    users.uniques.push(UniqueConstraint {
        index: Default::default(),
        on_conflict: None,
        name: Some("users_email_key".into()),
        columns: vec!["email".into()],
        nulls_not_distinct: false,
        deferrable: Default::default(),
    });
    users.checks.push(CheckConstraint {
        no_inherit: false,
        not_valid: false,
        name: Some("users_email_check".into()),
        expr: Expr::new("email <> ''", d),
    });
    let mut posts = keyed(
        "posts",
        d,
        vec![
            col("author_id", "integer"),
            with_default(col("title", text), "'untitled'", d),
        ],
    );
    posts
        .foreign_keys
        .push(fk("posts_author_id_fkey", "author_id", "users"));
    let mut s = schema(d, vec![users, posts]);
    s.indexes
        .push(index("posts_title_idx", "posts", &["title"]));
    s.views.push(View {
        column_comments: Vec::new(),
        comment: None,
        options: Vec::new(),
        name: q("titles"),
        materialized: false,
        definition: Definition::source("SELECT title FROM posts"),
    });
    s.opaque.push(OpaqueObject {
        firing: Default::default(),
        statistics_target: None,
        comment: None,
        kind: OpaqueKind::Trigger,
        name: q("posts_touch"),
        on_table: Some(q("posts")),
        definition: Definition::source(
            "CREATE TRIGGER posts_touch AFTER INSERT ON posts BEGIN SELECT 1; END",
        ),
        signature: None,
        references: Vec::new(),
        head: None,
        text_search: None,
    });
    if d == Dialect::Postgres {
        s.enums.push(Enum {
            comment: None,
            name: q("mood"),
            values: vec!["sad".into(), "happy".into()],
        });
        let mut mood = col("mood", "mood");
        mood.ty.user_defined = true;
        s.tables[0].columns.push(mood);
        s.tables[0].comment = Some("people".into());
        s.tables[0].columns[1].comment = Some("login".into());
        s.sequences.push(Sequence {
            comment: None,
            options: crate::schema::SequenceOptions::default(),
            unlogged: false,
            name: q("invoice_numbers"),
            owned_by: None,
        });
        s.namespaces.push("audit".into());
        s.extensions.push(crate::schema::Extension {
            comment: None,
            version: None,
            name: "pgcrypto".into(),
            schema: None,
        });
        s.opaque.push(OpaqueObject { firing: Default::default(), statistics_target: None,
comment: None,
            kind: OpaqueKind::Function,
            name: q("touch"),
            on_table: None,
            definition: Definition::source("CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql"),
            signature: None,
            references: Vec::new(),
            head: None,
            text_search: None,
        });
    }
    s
}

#[test]
fn same_rich_schema_gives_an_empty_plan() {
    for d in Dialect::ALL {
        let s = rich(d);
        assert_eq!(lines(&diff(&s, &s)), Vec::<String>::new(), "{d}");
        assert!(!rich(d).is_empty());
    }
}

#[test]
fn rich_schema_from_nothing_on_postgres() {
    let plan = diff(&Schema::empty(PG), &rich(PG));
    assert_eq!(
        lines(&plan),
        [
            "create schema `audit`",
            "create extension `pgcrypto`",
            "create enum `mood` ('sad', 'happy')",
            "create function `touch`",
            "create sequence `invoice_numbers`",
            "create table `users`",
            "create table `posts`",
            "create index `posts_title_idx` on `posts`",
            "add foreign key `posts_author_id_fkey` on `posts` (author_id) → `users` (id)",
            "create view `titles`",
            "create trigger `posts_touch`",
            "set comment on table `users`",
            "set comment on column `users.email`",
        ]
    );
    // Foreign keys are separate steps on PostgreSQL, not part of CREATE TABLE.
    for s in &plan.steps {
        if let Step::CreateTable(t) = &s.step {
            assert!(t.foreign_keys.is_empty(), "{}", t.name);
        }
    }
    assert!(destructive(&plan).is_empty());
}

#[test]
fn rich_schema_to_nothing_on_postgres() {
    let plan = diff(&rich(PG), &Schema::empty(PG));
    assert_eq!(
        lines(&plan),
        [
            "drop view `titles`",
            "drop trigger `posts_touch`",
            "drop table `posts`",
            "drop table `users`",
            "drop sequence `invoice_numbers`",
            "drop function `touch`",
            "drop enum `mood`",
            "drop extension `pgcrypto`",
            "drop schema `audit`",
        ]
    );
    assert_eq!(
        destructive(&plan),
        [
            Destructive::DropView(q("titles")),
            Destructive::DropTable(q("posts")),
            Destructive::DropTable(q("users")),
        ]
    );
}

#[test]
fn sqlite_declares_foreign_keys_inline() {
    let plan = diff(&Schema::empty(LITE), &rich(LITE));
    assert_eq!(
        lines(&plan),
        [
            "create table `users`",
            "create table `posts`",
            "create index `posts_title_idx` on `posts`",
            "create view `titles`",
            "create trigger `posts_touch`",
        ]
    );
    let Step::CreateTable(posts) = &plan.steps[1].step else {
        panic!("expected CREATE TABLE posts, got {:?}", plan.steps[1].step);
    };
    assert_eq!(
        posts.foreign_keys,
        [fk("posts_author_id_fkey", "author_id", "users")]
    );
}

#[test]
fn cyclic_foreign_keys_are_added_after_both_tables() {
    let mut a = keyed("a", PG, vec![col("b_id", "integer")]);
    a.foreign_keys.push(fk("a_b_fkey", "b_id", "b"));
    let mut b = keyed("b", PG, vec![col("a_id", "integer")]);
    b.foreign_keys.push(fk("b_a_fkey", "a_id", "a"));
    let next = schema(PG, vec![a, b]);
    assert_eq!(
        lines(&diff(&Schema::empty(PG), &next)),
        [
            "create table `a`",
            "create table `b`",
            "add foreign key `a_b_fkey` on `a` (b_id) → `b` (id)",
            "add foreign key `b_a_fkey` on `b` (a_id) → `a` (id)",
        ]
    );
    // Dropping both: no order satisfies the cycle, so one key goes first.
    assert_eq!(
        lines(&diff(&next, &Schema::empty(PG))),
        [
            "drop foreign key `a_b_fkey` on `a` (b_id) → `b` (id)",
            "drop table `b`",
            "drop table `a`",
        ]
    );
}

#[test]
fn self_referencing_foreign_key() {
    let mut t = keyed("employees", PG, vec![col("manager_id", "integer")]);
    t.foreign_keys
        .push(fk("employees_manager_fkey", "manager_id", "employees"));
    let next = schema(PG, vec![t.clone()]);
    assert_eq!(
        lines(&diff(&Schema::empty(PG), &next)),
        [
            "create table `employees`",
            "add foreign key `employees_manager_fkey` on `employees` (manager_id) → `employees` (id)",
        ]
    );
    assert_eq!(
        lines(&diff(&next, &Schema::empty(PG))),
        ["drop table `employees`"]
    );

    let mut t = keyed("employees", LITE, vec![col("manager_id", "INTEGER")]);
    t.foreign_keys
        .push(fk("employees_manager_fkey", "manager_id", "employees"));
    let plan = diff(&Schema::empty(LITE), &schema(LITE, vec![t]));
    assert_eq!(lines(&plan), ["create table `employees`"]);
}

#[test]
fn dropping_a_referenced_table_drops_the_foreign_key_first() {
    let users = keyed("users", PG, vec![]);
    let mut posts = keyed("posts", PG, vec![col("author_id", "integer")]);
    posts
        .foreign_keys
        .push(fk("posts_author_fkey", "author_id", "users"));
    let previous = schema(PG, vec![users, posts.clone()]);
    posts.foreign_keys.clear();
    let next = schema(PG, vec![posts]);
    let plan = diff(&previous, &next);
    assert_eq!(
        lines(&plan),
        [
            "drop foreign key `posts_author_fkey` on `posts` (author_id) → `users` (id)",
            "drop table `users`",
        ]
    );
    // Both dropped: the referencing table first, its foreign key with it.
    let plan = diff(&previous, &Schema::empty(PG));
    assert_eq!(lines(&plan), ["drop table `posts`", "drop table `users`"]);
}

#[test]
fn sqlite_rebuilds_a_table_whose_foreign_key_goes() {
    let users = keyed("users", LITE, vec![]);
    let mut posts = keyed("posts", LITE, vec![col("author_id", "INTEGER")]);
    posts
        .foreign_keys
        .push(fk("posts_author_fkey", "author_id", "users"));
    let mut previous = schema(LITE, vec![users, posts.clone()]);
    previous
        .indexes
        .push(index("posts_author_idx", "posts", &["author_id"]));
    posts.foreign_keys.clear();
    let mut next = schema(LITE, vec![posts]);
    next.indexes
        .push(index("posts_author_idx", "posts", &["author_id"]));
    let plan = diff(&previous, &next);
    assert_eq!(
        lines(&plan),
        [
            "drop table `users`",
            "rebuild table `posts` (drop foreign key `posts_author_fkey` (author_id) → `users` (id))"
        ]
    );
    let Step::RebuildTable { indexes, .. } = &plan.steps[1].step else {
        panic!("expected a rebuild, got {:?}", plan.steps[1].step);
    };
    assert_eq!(indexes, &next.indexes);
}

#[test]
fn add_column() {
    let previous = schema(PG, vec![keyed("users", PG, vec![])]);
    let next = schema(
        PG,
        vec![keyed("users", PG, vec![required(col("email", "text"))])],
    );
    assert_eq!(
        lines(&diff(&previous, &next)),
        ["add column `users.email` text"]
    );

    // SQLite adds a nullable column in place, but not a NOT NULL one without default.
    let previous = schema(LITE, vec![keyed("users", LITE, vec![])]);
    let next = schema(LITE, vec![keyed("users", LITE, vec![col("email", "TEXT")])]);
    assert_eq!(
        lines(&diff(&previous, &next)),
        ["add column `users.email` TEXT"]
    );
    let next = schema(
        LITE,
        vec![keyed("users", LITE, vec![required(col("email", "TEXT"))])],
    );
    let plan = diff(&previous, &next);
    assert_eq!(
        lines(&plan),
        ["rebuild table `users` (add column `email` TEXT)"]
    );
    assert!(destructive(&plan).is_empty());
}

#[test]
fn drop_column() {
    let previous = schema(PG, vec![keyed("users", PG, vec![col("email", "text")])]);
    let next = schema(PG, vec![keyed("users", PG, vec![])]);
    let plan = diff(&previous, &next);
    assert_eq!(lines(&plan), ["drop column `users.email`"]);
    assert_eq!(
        destructive(&plan),
        [Destructive::DropColumn {
            table: q("users"),
            column: "email".into()
        }]
    );

    let previous = schema(LITE, vec![keyed("users", LITE, vec![col("email", "TEXT")])]);
    let next = schema(LITE, vec![keyed("users", LITE, vec![])]);
    assert_eq!(
        lines(&diff(&previous, &next)),
        ["drop column `users.email`"]
    );
    // A column a unique constraint uses cannot be dropped in place.
    let mut with_unique = keyed("users", LITE, vec![col("email", "TEXT")]);
    with_unique.uniques.push(UniqueConstraint {
        index: Default::default(),
        on_conflict: None,
        name: None,
        columns: vec!["email".into()],
        nulls_not_distinct: false,
        deferrable: Default::default(),
    });
    let plan = diff(&schema(LITE, vec![with_unique]), &next);
    assert_eq!(
        lines(&plan),
        ["rebuild table `users` (drop column `email`; drop unique (email))"]
    );
    assert_eq!(
        destructive(&plan),
        [Destructive::RebuildDropsColumns {
            table: q("users"),
            columns: vec!["email".into()]
        }]
    );
}

#[test]
fn column_type_changes() {
    let at = |ty: &str| schema(PG, vec![keyed("t", PG, vec![col("n", ty)])]);
    let widen = diff(&at("integer"), &at("bigint"));
    assert_eq!(
        lines(&widen),
        ["alter column `t.n` (type integer → bigint)"]
    );
    assert!(destructive(&widen).is_empty());
    let Step::AlterColumn { changes, .. } = &widen.steps[0].step else {
        panic!("expected ALTER COLUMN, got {:?}", widen.steps[0].step);
    };
    assert!(changes.ty && !changes.nullability && !changes.default);

    let narrow = diff(&at("bigint"), &at("integer"));
    assert_eq!(
        destructive(&narrow),
        [Destructive::TypeChange {
            table: q("t"),
            column: "n".into(),
            from: "bigint".into(),
            to: "integer".into()
        }]
    );

    let at = |ty: &str| schema(LITE, vec![keyed("t", LITE, vec![col("n", ty)])]);
    let plan = diff(&at("TEXT"), &at("INTEGER"));
    assert_eq!(
        lines(&plan),
        ["rebuild table `t` (alter column `n`: type TEXT → INTEGER)"]
    );
    assert_eq!(destructive(&plan).len(), 1);
}

#[test]
fn nullability_and_default_changes() {
    let previous = schema(PG, vec![keyed("t", PG, vec![col("n", "integer")])]);
    let next = schema(
        PG,
        vec![keyed(
            "t",
            PG,
            vec![with_default(required(col("n", "integer")), "0", PG)],
        )],
    );
    let plan = diff(&previous, &next);
    assert_eq!(
        lines(&plan),
        ["alter column `t.n` (set not null, default 0)"]
    );
    assert_eq!(
        destructive(&plan),
        [Destructive::SetNotNull {
            table: q("t"),
            column: "n".into()
        }]
    );
    let back = diff(&next, &previous);
    assert_eq!(
        lines(&back),
        ["alter column `t.n` (drop not null, drop default)"]
    );
    assert!(destructive(&back).is_empty());
    // Spellings of one default compare equal.
    let spaced = schema(
        PG,
        vec![keyed(
            "t",
            PG,
            vec![with_default(required(col("n", "integer")), " 0 ", PG)],
        )],
    );
    assert!(diff(&next, &spaced).is_empty());
}

#[test]
fn identity_change_is_altered_on_postgres() {
    let previous = schema(PG, vec![keyed("t", PG, vec![])]);
    let mut next = previous.clone();
    next.tables[0].columns[0].identity = Some(Identity::Always);
    assert_eq!(
        lines(&diff(&previous, &next)),
        ["alter column `t.id` (identity)"]
    );
}

#[test]
fn generated_expression_change_drops_and_adds_the_column_on_postgres() {
    let generated = |sql: &str| {
        let mut c = col("total", "integer");
        c.generated = Some(Generated {
            expr: Expr::new(sql, PG),
            stored: true,
        });
        schema(PG, vec![keyed("t", PG, vec![col("n", "integer"), c])])
    };
    let plan = diff(&generated("n * 2"), &generated("n * 3"));
    assert_eq!(
        lines(&plan),
        ["drop column `t.total`", "add column `t.total` integer"]
    );
    // A generated column holds nothing that cannot be computed again.
    assert!(destructive(&plan).is_empty());
}

#[test]
fn constraints_are_matched_by_name_on_postgres() {
    let with_check = |name: &str, sql: &str| {
        let mut t = keyed("t", PG, vec![col("n", "integer")]);
        t.checks.push(CheckConstraint {
            no_inherit: false,
            not_valid: false,
            name: Some(name.into()),
            expr: Expr::new(sql, PG),
        });
        schema(PG, vec![t])
    };
    assert_eq!(
        lines(&diff(
            &with_check("t_n_check", "n > 0"),
            &with_check("t_n_check", "n > 1")
        )),
        [
            "drop check constraint `t_n_check` on `t`",
            "add check constraint `t_n_check` on `t`",
        ]
    );
    assert_eq!(
        lines(&diff(
            &with_check("t_n_check", "n > 0"),
            &with_check("positive", "n > 0")
        )),
        [
            "drop check constraint `t_n_check` on `t`",
            "add check constraint `positive` on `t`",
        ]
    );
    assert!(diff(&with_check("c", "n > 0"), &with_check("c", "N  >  0")).is_empty());
}

#[test]
fn constraints_are_matched_by_definition_on_sqlite() {
    let with_unique = |name: Option<&str>, column: &str| {
        let mut t = keyed("t", LITE, vec![col("a", "TEXT"), col("b", "TEXT")]);
        t.uniques.push(UniqueConstraint {
            index: Default::default(),
            on_conflict: None,
            name: name.map(str::to_string),
            columns: vec![column.into()],
            nulls_not_distinct: false,
            deferrable: Default::default(),
        });
        schema(LITE, vec![t])
    };
    assert!(diff(&with_unique(Some("x"), "a"), &with_unique(None, "A")).is_empty());
    assert_eq!(
        lines(&diff(&with_unique(None, "a"), &with_unique(None, "b"))),
        ["rebuild table `t` (drop unique (a); add unique (b))"]
    );
}

#[test]
fn primary_key_change_on_postgres() {
    let previous = schema(
        PG,
        vec![keyed("t", PG, vec![required(col("code", "text"))])],
    );
    let mut next = previous.clone();
    next.tables[0].primary_key = Some(PrimaryKey {
        name: Some("t_pkey".into()),
        columns: vec!["id".into(), "code".into()],
        ..Default::default()
    });
    assert_eq!(
        lines(&diff(&previous, &next)),
        [
            "drop primary key of `t`",
            "add primary key on `t` (id, code)"
        ]
    );
}

#[test]
fn a_foreign_key_on_a_replaced_unique_key_is_dropped_and_added_again() {
    let mut users = keyed("users", PG, vec![required(col("email", "text"))]);
    users.uniques.push(UniqueConstraint {
        index: Default::default(),
        on_conflict: None,
        name: Some("users_email_key".into()),
        columns: vec!["email".into()],
        nulls_not_distinct: false,
        deferrable: Default::default(),
    });
    let mut posts = keyed("posts", PG, vec![col("author_email", "text")]);
    posts.foreign_keys.push(ForeignKey {
        referenced_columns: vec!["email".into()],
        ..fk("posts_author_email_fkey", "author_email", "users")
    });
    let previous = schema(PG, vec![users, posts]);
    let mut next = previous.clone();
    next.tables[0].uniques[0].nulls_not_distinct = true;
    assert_eq!(
        lines(&diff(&previous, &next)),
        [
            "drop foreign key `posts_author_email_fkey` on `posts` (author_email) → `users` (email)",
            "drop unique constraint `users_email_key` on `users` (email)",
            "add unique constraint `users_email_key` on `users` (email)",
            "add foreign key `posts_author_email_fkey` on `posts` (author_email) → `users` (email)",
        ]
    );
}

#[test]
fn index_changes() {
    let base = schema(
        PG,
        vec![keyed("t", PG, vec![col("a", "text"), col("b", "text")])],
    );
    let mut with_a = base.clone();
    with_a.indexes.push(index("t_idx", "t", &["a"]));
    let mut with_b = base.clone();
    with_b.indexes.push(index("t_idx", "t", &["b"]));
    assert_eq!(
        lines(&diff(&base, &with_a)),
        ["create index `t_idx` on `t`"]
    );
    assert_eq!(lines(&diff(&with_a, &base)), ["drop index `t_idx` on `t`"]);
    assert_eq!(
        lines(&diff(&with_a, &with_b)),
        ["drop index `t_idx` on `t`", "create index `t_idx` on `t`"]
    );
    // A dropped table takes its indexes along.
    assert_eq!(
        lines(&diff(&with_a, &Schema::empty(PG))),
        ["drop table `t`"]
    );
}

#[test]
fn a_rebuilt_table_gets_no_other_steps() {
    let mut previous = schema(LITE, vec![keyed("t", LITE, vec![col("a", "TEXT")])]);
    previous.indexes.push(index("t_a_idx", "t", &["a"]));
    let mut next = schema(LITE, vec![keyed("t", LITE, vec![col("a", "INTEGER")])]);
    next.indexes.push(index("t_a_idx", "t", &["a", "id"]));
    next.indexes.push(index("t_id_idx", "t", &["id"]));
    let plan = diff(&previous, &next);
    assert_eq!(
        lines(&plan),
        ["rebuild table `t` (alter column `a`: type TEXT → INTEGER)"]
    );
    let Step::RebuildTable {
        previous: old,
        next: new,
        indexes,
    } = &plan.steps[0].step
    else {
        panic!("expected a rebuild, got {:?}", plan.steps[0].step);
    };
    assert_eq!((old, new), (&previous.tables[0], &next.tables[0]));
    assert_eq!(indexes, &next.indexes);
}

fn with_enum(values: &[&str]) -> Schema {
    let mut s = schema(PG, vec![]);
    s.enums.push(Enum {
        comment: None,
        name: q("mood"),
        values: values.iter().map(|v| v.to_string()).collect(),
    });
    let mut mood = with_default(col("mood", "mood"), "'ok'::mood", PG);
    mood.ty.user_defined = true;
    s.tables.push(keyed("people", PG, vec![mood]));
    s
}

#[test]
fn enum_values_added_in_place() {
    let plan = diff(
        &with_enum(&["sad", "ok"]),
        &with_enum(&["meh", "sad", "fine", "ok", "happy", "glad"]),
    );
    let added: Vec<_> = plan
        .steps
        .iter()
        .map(|s| match &s.step {
            Step::AddEnumValue {
                value, position, ..
            } => (value.as_str(), position.clone()),
            other => panic!("expected ADD VALUE, got {other:?}"),
        })
        .collect();
    assert_eq!(
        added,
        [
            ("meh", EnumValuePosition::Before("sad".into())),
            ("fine", EnumValuePosition::After("sad".into())),
            ("happy", EnumValuePosition::End),
            ("glad", EnumValuePosition::End),
        ]
    );
    assert!(destructive(&plan).is_empty());
}

#[test]
fn enum_value_removed_recreates_the_type() {
    let plan = diff(
        &with_enum(&["sad", "ok", "happy"]),
        &with_enum(&["happy", "ok"]),
    );
    assert_eq!(
        lines(&plan),
        ["recreate enum `mood` with values ('happy', 'ok'), converting 1 column(s)"]
    );
    let Step::RecreateEnum { usages, .. } = &plan.steps[0].step else {
        panic!("expected RecreateEnum, got {:?}", plan.steps[0].step);
    };
    assert_eq!(usages.len(), 1);
    assert_eq!(
        (usages[0].table.name.as_str(), usages[0].column.as_str()),
        ("people", "mood")
    );
    assert_eq!(usages[0].default, Some(Expr::new("'ok'::mood", PG)));
    assert_eq!(
        destructive(&plan),
        [Destructive::DropEnumValue {
            enum_name: q("mood"),
            values: vec!["sad".into()]
        }]
    );
    // Reordering alone also recreates, and loses nothing.
    let plan = diff(&with_enum(&["ok", "happy"]), &with_enum(&["happy", "ok"]));
    assert_eq!(plan.steps.len(), 1);
    assert!(destructive(&plan).is_empty());
}

#[test]
fn enum_is_created_before_and_dropped_after_its_table() {
    let plan = diff(&Schema::empty(PG), &with_enum(&["ok"]));
    assert_eq!(
        lines(&plan),
        ["create enum `mood` ('ok')", "create table `people`"]
    );
    let mut without = with_enum(&["ok"]);
    without.enums.clear();
    without.tables[0].columns.pop();
    assert_eq!(
        lines(&diff(&with_enum(&["ok"]), &without)),
        ["drop column `people.mood`", "drop enum `mood`"]
    );
}

#[test]
fn serial_sequences_come_with_their_column() {
    let serial = |c: Column| with_default(c, "nextval('t_id_seq'::regclass)", PG);
    let mut t = keyed("t", PG, vec![]);
    t.columns[0] = serial(required(col("id", "integer")));
    let mut next = schema(PG, vec![t]);
    let mut serial_seq = Sequence::new(q("t_id_seq"), Some((q("t"), "id".into())));
    serial_seq.options = crate::schema::SequenceOptions::defaults("integer", 1);
    next.sequences.push(serial_seq);
    next.sequences.push(Sequence::new(q("counter"), None));
    let plan = diff(&Schema::empty(PG), &next);
    assert_eq!(
        lines(&plan),
        ["create sequence `counter`", "create table `t`"]
    );
    assert_eq!(plan.implicit_sequences, [q("t_id_seq")]);
    // Options a serial's sequence does not have are set after it is made.
    let mut started = next.clone();
    started.sequences[0].options.start = 10_000_000;
    assert_eq!(
        lines(&diff(&Schema::empty(PG), &started)),
        [
            "create sequence `counter`",
            "create table `t`",
            "alter sequence `t_id_seq` (start 10000000)"
        ]
    );
    // The sequence the default calls is not owned by the column: it is
    // created first, and the column is not `serial` (which would make a
    // second sequence, `t_id_seq1`).
    let mut unowned = next.clone();
    unowned.sequences[0].owned_by = None;
    let plan = diff(&Schema::empty(PG), &unowned);
    assert_eq!(
        lines(&plan),
        [
            "create sequence `t_id_seq`",
            "create sequence `counter`",
            "create table `t`"
        ]
    );
    assert!(plan.implicit_sequences.is_empty());
    let sql = crate::dialect::render_script(&plan, PG).unwrap();
    assert!(
        sql.contains("id integer NOT NULL DEFAULT nextval('t_id_seq'::regclass)"),
        "{sql}"
    );
    assert!(!sql.contains("SERIAL"), "{sql}");
    // Owned by a created column that does not draw from it: no `serial`.
    let mut plain = next.clone();
    plain.tables[0].columns[0].default = None;
    assert_eq!(
        lines(&diff(&Schema::empty(PG), &plain)),
        [
            "create sequence `counter`",
            "create table `t`",
            "create sequence `t_id_seq`"
        ]
    );
    assert_eq!(
        lines(&diff(&next, &Schema::empty(PG))),
        ["drop table `t`", "drop sequence `counter`"]
    );
    // A serial whose table was renamed keeps its sequence's name: it is not
    // rendered `serial`, so the sequence comes first and is owned after.
    let mut renamed = next.clone();
    renamed.tables[0].name = q("u");
    renamed.sequences[0].owned_by = Some((q("u"), "id".into()));
    assert_eq!(
        lines(&diff(&Schema::empty(PG), &renamed)),
        [
            "create sequence `t_id_seq`",
            "create sequence `counter`",
            "create table `u`",
            "make `u.id` own sequence `t_id_seq`"
        ]
    );
}

#[test]
fn views_reading_a_changed_table_are_dropped_first_and_created_last() {
    let mut previous = schema(PG, vec![keyed("t", PG, vec![col("n", "integer")])]);
    previous.views.push(View {
        column_comments: Vec::new(),
        comment: None,
        options: Vec::new(),
        name: q("v"),
        materialized: false,
        definition: Definition::source("SELECT n FROM t"),
    });
    previous.views.push(View {
        column_comments: Vec::new(),
        comment: None,
        options: Vec::new(),
        name: q("w"),
        materialized: false,
        definition: Definition::source("SELECT n FROM v"),
    });
    previous.views.push(View {
        column_comments: Vec::new(),
        comment: None,
        options: Vec::new(),
        name: q("unrelated"),
        materialized: false,
        definition: Definition::source("SELECT 1"),
    });
    let mut next = previous.clone();
    next.tables[0].columns[1].ty = ColumnType::simple("bigint");
    let plan = diff(&previous, &next);
    assert_eq!(
        lines(&plan),
        [
            "drop view `w`",
            "drop view `v`",
            "alter column `t.n` (type integer → bigint)",
            "create view `v`",
            "create view `w`",
        ]
    );
    // Recreated views lose nothing.
    assert!(destructive(&plan).is_empty());
    // An index does not disturb the views.
    let mut indexed = previous.clone();
    indexed.indexes.push(index("t_n_idx", "t", &["n"]));
    assert_eq!(
        lines(&diff(&previous, &indexed)),
        ["create index `t_n_idx` on `t`"]
    );
}

#[test]
fn changed_view_is_dropped_and_created() {
    let view = |sql: &str| {
        let mut s = schema(PG, vec![]);
        s.views.push(View {
            column_comments: Vec::new(),
            comment: None,
            options: Vec::new(),
            name: q("v"),
            materialized: false,
            definition: Definition::source(sql),
        });
        s
    };
    assert_eq!(
        lines(&diff(&view("SELECT 1"), &view("SELECT 2"))),
        ["drop view `v`", "create view `v`"]
    );
    assert!(diff(&view("SELECT 1"), &view("select   1")).is_empty());
    // Text printed by a database is never compared with source text.
    let mut printed = view("SELECT 1");
    printed.views[0].definition = Definition::database(" SELECT 1 AS \"?column?\";");
    assert!(diff(&view("SELECT 1"), &printed).is_empty());
}

#[test]
fn changed_function_comes_back_before_tables_and_its_trigger_after() {
    let mut previous = rich(PG);
    let mut next = previous.clone();
    let f = next
        .opaque
        .iter_mut()
        .find(|o| o.kind == OpaqueKind::Function)
        .map(|o| &mut o.definition);
    if let Some(def) = f {
        *def = Definition::source(
            "CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN OLD; END $$ LANGUAGE plpgsql",
        );
    }
    // The trigger calls the function: it must go first and come back after.
    previous.opaque[0].definition = Definition::source(
        "CREATE TRIGGER posts_touch AFTER INSERT ON posts EXECUTE FUNCTION touch()",
    );
    // What the interpreter records for `EXECUTE FUNCTION touch()`.
    previous.opaque[0].references = vec![crate::schema::ObjectRef {
        kind: crate::schema::RefKind::Function,
        name: q("touch"),
    }];
    next.opaque[0] = previous.opaque[0].clone();
    assert_eq!(
        lines(&diff(&previous, &next)),
        [
            "drop trigger `posts_touch`",
            "drop function `touch`",
            "create function `touch`",
            "create trigger `posts_touch`",
        ]
    );
}

#[test]
fn triggers_on_a_rebuilt_sqlite_table_are_recreated() {
    let previous = rich(LITE);
    let mut next = previous.clone();
    next.tables[1].columns[2].ty = ColumnType::simple("BLOB");
    assert_eq!(
        lines(&diff(&previous, &next)),
        [
            "drop view `titles`",
            "drop trigger `posts_touch`",
            "rebuild table `posts` (alter column `title`: type TEXT → BLOB)",
            "create view `titles`",
            "create trigger `posts_touch`",
        ]
    );
}

#[test]
fn comments_on_postgres_only() {
    let previous = schema(PG, vec![keyed("t", PG, vec![col("n", "integer")])]);
    let mut next = previous.clone();
    next.tables[0].comment = Some("things".into());
    next.tables[0].columns[1].comment = Some("count".into());
    assert_eq!(
        lines(&diff(&previous, &next)),
        ["set comment on table `t`", "set comment on column `t.n`"]
    );
    assert_eq!(
        lines(&diff(&next, &previous)),
        [
            "remove comment on table `t`",
            "remove comment on column `t.n`"
        ]
    );
    let previous = schema(LITE, vec![keyed("t", LITE, vec![])]);
    let mut next = previous.clone();
    next.tables[0].comment = Some("things".into());
    assert!(diff(&previous, &next).is_empty());
}

#[test]
fn sqlite_names_compare_case_insensitively() {
    let previous = schema(LITE, vec![keyed("User", LITE, vec![col("email", "TEXT")])]);
    let mut next = schema(LITE, vec![keyed("user", LITE, vec![col("email", "TEXT")])]);
    if let Some(pk) = next.tables[0].primary_key.as_mut() {
        pk.columns = vec!["ID".into()];
    }
    assert!(diff(&previous, &next).is_empty());
}

/// The catalog keeps a column's name as written and `SELECT *` returns it
/// so: a column matched without case but spelled differently is renamed.
#[test]
fn sqlite_respelled_columns_are_renamed() {
    let previous = schema(LITE, vec![keyed("User", LITE, vec![col("Email", "TEXT")])]);
    let next = schema(LITE, vec![keyed("user", LITE, vec![col("email", "TEXT")])]);
    assert_eq!(
        lines(&diff(&previous, &next)),
        ["rename column `User.Email` to `User.email`"]
    );
}

#[test]
fn postgres_quoted_and_folded_names_are_two_tables() {
    let previous = schema(PG, vec![keyed("User", PG, vec![])]);
    let next = schema(PG, vec![keyed("user", PG, vec![])]);
    assert_eq!(
        lines(&diff(&previous, &next)),
        ["drop table `User`", "create table `user`"]
    );
}

#[test]
fn diff_is_deterministic() {
    for d in Dialect::ALL {
        let mut next = rich(d);
        next.tables.push(keyed("extra", d, vec![col("a", "text")]));
        next.tables[1].columns.push(col("subtitle", "text"));
        next.indexes.push(index("extra_a_idx", "extra", &["a"]));
        let previous = rich(d);
        let first = diff(&previous, &next);
        assert!(!first.is_empty());
        for _ in 0..5 {
            assert_eq!(diff(&previous, &next), first, "{d}");
        }
        let down = diff(&next, &previous);
        assert!(
            lines(&down).contains(&"drop table `extra`".to_string()),
            "{d}"
        );
        assert_eq!(diff(&next, &previous), down, "{d}");
    }
}

#[test]
fn materialized_view_indexes_follow_their_view() {
    let matview = |sql: &str| {
        let mut s = schema(PG, vec![keyed("t", PG, vec![col("n", "integer")])]);
        s.views.push(View {
            column_comments: Vec::new(),
            comment: None,
            options: Vec::new(),
            name: q("totals"),
            materialized: true,
            definition: Definition::source(sql),
        });
        s.indexes.push(index("totals_n_idx", "totals", &["n"]));
        s
    };
    let previous = matview("SELECT n FROM t");
    assert_eq!(
        lines(&diff(&previous, &matview("SELECT n FROM t WHERE n > 0"))),
        [
            "drop materialized view `totals`",
            "create materialized view `totals`",
            "create index `totals_n_idx` on `totals`",
        ]
    );
    assert_eq!(
        lines(&diff(&Schema::empty(PG), &previous)),
        [
            "create table `t`",
            "create materialized view `totals`",
            "create index `totals_n_idx` on `totals`",
        ]
    );
    let mut reindexed = previous.clone();
    reindexed.indexes[0].unique = true;
    assert_eq!(
        lines(&diff(&previous, &reindexed)),
        [
            "drop index `totals_n_idx` on `totals`",
            "create unique index `totals_n_idx` on `totals`",
        ]
    );
}

#[test]
fn defaults_and_nullability_do_not_disturb_views_or_triggers() {
    let previous = rich(PG);
    let mut next = previous.clone();
    next.tables[1].columns[2].default = Some(Expr::new("'draft'", PG));
    next.tables[1].columns[1].nullable = false;
    assert_eq!(
        lines(&diff(&previous, &next)),
        [
            "alter column `posts.author_id` (set not null)",
            "alter column `posts.title` (default 'draft')",
        ]
    );
}

#[test]
fn triggers_on_a_table_losing_a_column_are_recreated() {
    let previous = rich(PG);
    let mut next = previous.clone();
    next.tables[1].columns.retain(|c| c.name != "title");
    next.indexes.clear();
    next.views.clear();
    assert_eq!(
        lines(&diff(&previous, &next)),
        [
            "drop view `titles`",
            "drop trigger `posts_touch`",
            "drop index `posts_title_idx` on `posts`",
            "drop column `posts.title`",
            "create trigger `posts_touch`",
        ]
    );
}

#[test]
fn sqlite_rebuilds_for_a_column_alter_table_cannot_add() {
    let previous = schema(LITE, vec![keyed("t", LITE, vec![])]);
    let next = schema(
        LITE,
        vec![keyed(
            "t",
            LITE,
            vec![with_default(col("at", "TEXT"), "CURRENT_TIMESTAMP", LITE)],
        )],
    );
    assert_eq!(
        lines(&diff(&previous, &next)),
        ["rebuild table `t` (add column `at` TEXT)"]
    );
}

/// Variations of the rich schema, each consistent on its own.
fn variants(d: Dialect) -> Vec<(&'static str, Schema)> {
    let text = |pg: &str, lite: &str| match d {
        Dialect::Postgres => pg.to_string(),
        Dialect::Sqlite => lite.to_string(),
    };
    let mut out = vec![("empty", Schema::empty(d)), ("rich", rich(d))];

    let mut retyped = rich(d);
    retyped.tables[1].columns[2].ty = ColumnType {
        modifiers: vec![200],
        ..ColumnType::simple(text("character varying", "VARCHAR"))
    };
    retyped.tables[1].columns[1].nullable = false;
    out.push(("retyped", retyped));

    let mut without_users = rich(d);
    without_users.tables.remove(0);
    without_users.tables[0].foreign_keys.clear();
    without_users.enums.clear();
    out.push(("without users", without_users));

    let mut without_posts = rich(d);
    without_posts.tables.remove(1);
    without_posts.indexes.clear();
    without_posts.views.clear();
    without_posts.opaque.retain(|o| o.on_table.is_none());
    out.push(("without posts", without_posts));

    let mut grown = rich(d);
    let mut comments = keyed(
        "comments",
        d,
        vec![col("post_id", &text("integer", "INTEGER"))],
    );
    comments
        .foreign_keys
        .push(fk("comments_post_id_fkey", "post_id", "posts"));
    comments
        .foreign_keys
        .push(fk("comments_parent_fkey", "id", "comments"));
    grown.tables.push(comments);
    grown.tables[0]
        .columns
        .push(col("nickname", &text("text", "TEXT")));
    grown.tables[0].checks.clear();
    grown
        .indexes
        .push(index("comments_post_idx", "comments", &["post_id"]));
    grown.indexes[0].unique = true;
    grown.views.push(View {
        column_comments: Vec::new(),
        comment: None,
        options: Vec::new(),
        name: q("comment_counts"),
        materialized: false,
        definition: Definition::source("SELECT post_id, count(*) FROM comments GROUP BY 1"),
    });
    out.push(("grown", grown));

    let mut by_index = rich(d);
    by_index.tables.push(keyed(
        "handles",
        d,
        vec![col("handle", &text("text", "TEXT"))],
    ));
    by_index.indexes.push(Index {
        partition_copies: Vec::new(),
        unique: true,
        ..index("handles_handle_idx", "handles", &["handle"])
    });
    by_index.tables[0]
        .columns
        .push(col("handle", &text("text", "TEXT")));
    by_index.tables[0].foreign_keys.push(ForeignKey {
        referenced_columns: vec!["handle".into()],
        ..fk("users_handle_fkey", "handle", "handles")
    });
    out.push(("by index", by_index.clone()));
    let mut reindexed = by_index;
    if let Some(i) = reindexed.indexes.last_mut() {
        i.columns[0].descending = true;
    }
    out.push(("reindexed", reindexed));

    let mut rekeyed = rich(d);
    rekeyed.tables[0].uniques[0].nulls_not_distinct = true;
    rekeyed.tables[1].foreign_keys[0].on_delete = crate::schema::ForeignKeyAction::Cascade;
    out.push(("rekeyed", rekeyed));

    if d == Dialect::Postgres {
        let mut moods = rich(d);
        moods.enums[0].values = vec!["happy".into(), "calm".into()];
        moods.tables[0].columns[2].default = Some(Expr::new("'calm'::mood", d));
        out.push(("moods", moods));

        let mut unmooded = rich(d);
        unmooded.enums[0].values = vec!["happy".into()];
        unmooded.tables[0].columns[2].ty = ColumnType::simple("text");
        unmooded.tables[0].columns[2].ty.user_defined = false;
        let mut mood_list = col("moods", "mood");
        mood_list.ty.user_defined = true;
        mood_list.ty.array_dims = 1;
        unmooded.tables[1].columns.push(mood_list);
        out.push(("unmooded", unmooded));

        let mut serial = rich(d);
        serial.tables[1].columns[0].default =
            Some(Expr::new("nextval('posts_id_seq'::regclass)", d));
        serial.sequences.push(Sequence {
            comment: None,
            options: crate::schema::SequenceOptions::default(),
            unlogged: false,
            name: q("posts_id_seq"),
            owned_by: Some((q("posts"), "id".into())),
        });
        let mut total = col("total", "integer");
        total.generated = Some(Generated {
            expr: Expr::new("id * 2", d),
            stored: true,
        });
        serial.tables[1].columns.push(total);
        serial
            .indexes
            .push(index("posts_total_idx", "posts", &["total"]));
        serial.tables[1].checks.push(CheckConstraint {
            no_inherit: false,
            not_valid: false,
            name: Some("posts_total_check".into()),
            expr: Expr::new("total > 0", d),
        });
        out.push(("serial", serial.clone()));

        let mut regenerated = serial;
        if let Some(g) = regenerated.tables[1].columns[3].generated.as_mut() {
            g.expr = Expr::new("id * 3", d);
        }
        out.push(("regenerated", regenerated));

        let mut matview = rich(d);
        matview.views[0].materialized = true;
        matview.views[0].definition = Definition::source("SELECT id, title FROM posts");
        matview.indexes.push(Index {
            partition_copies: Vec::new(),
            unique: true,
            ..index("titles_id_idx", "titles", &["id"])
        });
        matview.opaque[1].definition = Definition::source(
            "CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN OLD; END $$ LANGUAGE plpgsql",
        );
        matview.opaque[0].definition = Definition::source(
            "CREATE TRIGGER posts_touch AFTER INSERT ON posts EXECUTE FUNCTION touch()",
        );
        out.push(("matview", matview));
    }
    out
}

#[test]
fn every_plan_applies_in_order_and_reaches_its_target() {
    for d in Dialect::ALL {
        let variants = variants(d);
        for (from_name, from) in &variants {
            for (to_name, to) in &variants {
                let plan = diff(from, to);
                let reached = super::simulate::apply(from, &plan).unwrap_or_else(|e| {
                    panic!(
                        "{d} {from_name} → {to_name}: {e}\nplan: {:#?}",
                        lines(&plan)
                    )
                });
                assert_eq!(
                    super::simulate::canonical(&reached),
                    super::simulate::canonical(to),
                    "{d} {from_name} → {to_name}: {:#?}",
                    lines(&plan)
                );
                assert!(
                    diff(&reached, to).is_empty(),
                    "{d} {from_name} → {to_name}: a second diff is not empty"
                );
                assert_eq!(
                    plan.is_empty(),
                    from_name == to_name,
                    "{d} {from_name} → {to_name}"
                );
            }
        }
    }
}

/// A schema the size of a large application: 400 tables, each with a key,
/// a foreign key, a unique constraint, an index and a trigger, and views.
fn large(d: Dialect) -> Schema {
    let mut s = Schema::empty(d);
    for i in 0..400 {
        let name = format!("t{i}");
        let mut t = keyed(
            &name,
            d,
            vec![col("parent_id", "integer"), col("code", "text")],
        );
        if i > 0 {
            t.foreign_keys.push(fk(
                &format!("{name}_parent_fkey"),
                "parent_id",
                &format!("t{}", i - 1),
            ));
        }
        t.uniques.push(UniqueConstraint {
            index: Default::default(),
            on_conflict: None,
            name: Some(format!("{name}_code_key")),
            columns: vec!["code".into()],
            nulls_not_distinct: false,
            deferrable: Default::default(),
        });
        s.tables.push(t);
        s.indexes
            .push(index(&format!("{name}_parent_idx"), &name, &["parent_id"]));
        s.opaque.push(OpaqueObject {
            firing: Default::default(),
            statistics_target: None,
            comment: None,
            kind: OpaqueKind::Trigger,
            name: q(&format!("{name}_touch")),
            on_table: Some(q(&name)),
            definition: Definition::source(format!(
                "CREATE TRIGGER {name}_touch AFTER UPDATE ON {name} BEGIN SELECT 1; END"
            )),
            signature: None,
            references: Vec::new(),
            head: None,
            text_search: None,
        });
    }
    for i in 0..50 {
        s.views.push(View {
            column_comments: Vec::new(),
            comment: None,
            options: Vec::new(),
            name: q(&format!("v{i}")),
            materialized: false,
            definition: Definition::source(format!(
                "SELECT * FROM t{} JOIN t{} USING (id)",
                i * 8,
                i * 8 + 1
            )),
        });
    }
    s
}

#[test]
fn large_schemas() {
    for d in Dialect::ALL {
        let previous = large(d);
        let started = std::time::Instant::now();
        assert!(diff(&previous, &previous).is_empty(), "{d}");
        println!("{d}: no change found in {:?}", started.elapsed());
        let mut next = previous.clone();
        next.tables[8].columns[2].ty = ColumnType::simple("bigint");
        next.tables.remove(399);
        next.indexes.retain(|i| i.table.name != "t399");
        next.opaque
            .retain(|o| o.on_table.as_ref().is_none_or(|t| t.name != "t399"));
        let started = std::time::Instant::now();
        let plan = diff(&previous, &next);
        let elapsed = started.elapsed();
        let reached =
            super::simulate::apply(&previous, &plan).unwrap_or_else(|e| panic!("{d}: {e}"));
        assert_eq!(
            super::simulate::canonical(&reached),
            super::simulate::canonical(&next),
            "{d}"
        );
        // v1 reads t8, whose column changes type: it goes and comes back.
        assert!(
            lines(&plan).contains(&"create view `v1`".to_string()),
            "{d}"
        );
        println!("{d}: {} steps in {elapsed:?}", plan.steps.len());
    }
}

#[test]
fn sqlite_rebuilds_for_keys_and_checks() {
    let previous = schema(LITE, vec![keyed("t", LITE, vec![col("code", "TEXT")])]);

    let mut rekeyed = previous.clone();
    rekeyed.tables[0].primary_key = Some(PrimaryKey {
        name: None,
        columns: vec!["code".into()],
        ..Default::default()
    });
    let mut checked = previous.clone();
    checked.tables[0].checks.push(CheckConstraint {
        no_inherit: false,
        not_valid: false,
        name: None,
        expr: Expr::new("length(code) > 2", LITE),
    });
    let mut referencing = previous.clone();
    referencing.tables[0]
        .foreign_keys
        .push(fk("t_parent_fkey", "code", "t"));
    for (next, change, back) in [
        (
            &rekeyed,
            "primary key (id) → (code)",
            "primary key (code) → (id)",
        ),
        (
            &checked,
            "add check (length(code) > 2)",
            "drop check (length(code) > 2)",
        ),
        (
            &referencing,
            "add foreign key `t_parent_fkey` (code) → `t` (id)",
            "drop foreign key `t_parent_fkey` (code) → `t` (id)",
        ),
    ] {
        let plan = diff(&previous, next);
        assert_eq!(lines(&plan), [format!("rebuild table `t` ({change})")]);
        assert!(destructive(&plan).is_empty());
        assert_eq!(
            lines(&diff(next, &previous)),
            [format!("rebuild table `t` ({back})")]
        );
    }
}

#[test]
fn sqlite_index_changes_need_no_rebuild() {
    let base = schema(LITE, vec![keyed("t", LITE, vec![col("a", "TEXT")])]);
    let mut indexed = base.clone();
    indexed.indexes.push(index("t_a_idx", "t", &["a"]));
    let mut unique = indexed.clone();
    unique.indexes[0].unique = true;
    assert_eq!(
        lines(&diff(&base, &indexed)),
        ["create index `t_a_idx` on `t`"]
    );
    assert_eq!(
        lines(&diff(&indexed, &unique)),
        [
            "drop index `t_a_idx` on `t`",
            "create unique index `t_a_idx` on `t`"
        ]
    );
    // Index and column names compare case-insensitively too.
    let mut shouted = indexed.clone();
    shouted.indexes[0].name = q("T_A_IDX");
    shouted.indexes[0].columns[0].expr = IndexExpr::Column("A".into());
    assert!(diff(&indexed, &shouted).is_empty());
}

#[test]
fn routines_with_standard_bodies_that_read_tables_come_after_them() {
    let sql = "CREATE FUNCTION positive(x int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN x > 0;\n\
        CREATE TABLE counters (id int PRIMARY KEY CHECK (positive(id)), n int);\n\
        CREATE FUNCTION total() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT sum(n) FROM counters; END;\n\
        CREATE FUNCTION plain() RETURNS int AS $$ SELECT count(*)::int FROM counters $$ LANGUAGE sql;";
    let file = crate::ddl::SourceFile {
        path: "schema.sql",
        sql,
    };
    let (next, _) = crate::ddl::parse_schema(PG, &[file]).unwrap();
    let plan = diff(&Schema::empty(PG), &next);
    let at = |wanted: &str| {
        plan.steps
            .iter()
            .position(|s| match &s.step {
                Step::CreateOpaque(o) => o.name.name == wanted,
                Step::CreateTable(t) => t.name.name == wanted,
                _ => false,
            })
            .unwrap_or_else(|| panic!("no step for {wanted}"))
    };
    // Called by a check: before the table. Reads the table when created: after it.
    assert!(at("positive") < at("counters"));
    assert!(at("total") > at("counters"));
    // A body in a string is not read until called (check_function_bodies is off).
    assert!(at("plain") < at("counters"));
}
