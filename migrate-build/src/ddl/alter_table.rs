//! `ALTER TABLE`, every action in one statement applied in order.

use sqlparser::ast::{self, AlterColumnOperation, AlterTableOperation, DropBehavior};

use super::create_table::{self, Pending};
use super::{Fallible, Outcome, names, options, partition, scan, types};
use crate::dialect::{Dialect, quote};
use crate::schema::{
    ColumnStorage, Deferrable, Expr, Firing, Identity, IndexExpr, OpaqueKind, QualifiedName,
    ReplicaIdentity, Schema, Table,
};

/// Each action is parsed on its own (as `ALTER TABLE name <action>`), so
/// that the few actions sqlparser does not know (`ALTER CONSTRAINT`) are read
/// by the token scanner without losing the others.
pub(super) fn apply(schema: &mut Schema, text: &str, tokens: &scan::Tokens) -> Fallible<Outcome> {
    let d = schema.dialect;
    if d == Dialect::Postgres {
        create_table::refuse_set_column_lists(tokens)?;
    }
    let mut c = scan::Cursor::new(tokens, d);
    c.expect(&["ALTER", "TABLE"])?;
    let if_exists = c.eat(&["IF", "EXISTS"]);
    let only = c.eat(&["ONLY"]);
    let name_start = tokens.offsets.get(c.pos).copied().unwrap_or(text.len());
    let mut name = c.qualified()?;
    c.eat_sym("*");
    let name_end = tokens.offsets.get(c.pos).copied().unwrap_or(text.len());
    let name_text = &text[name_start..name_end];
    match schema.table(&name) {
        Some(t) => name = t.name.clone(),
        None if if_exists => return Ok(Outcome::Applied),
        None => return Err(format!("table `{name}` does not exist")),
    }
    // Physical storage actions: listed, not modelled.
    let mut skipped = Vec::new();
    let mut modelled = 0;
    let all = actions(tokens, c.pos);
    let one_action = all.len() == 1;
    for (start, end) in all {
        let action = &text[tokens.offsets[start]..end.map_or(text.len(), |e| tokens.offsets[e])];
        let whole_action = action;
        let mut ac = scan::Cursor::new(tokens, d);
        ac.pos = start;
        let action_end = end.unwrap_or(tokens.toks.len());
        if ac.eat(&["ALTER", "CONSTRAINT"]) {
            alter_constraint(schema, &name, &mut ac, action_end)?;
            continue;
        }
        match token_action(schema, &name, text, &mut ac, action_end)? {
            Some(TokenAction::Done(new_name)) => {
                name = new_name;
                modelled += 1;
                continue;
            }
            Some(TokenAction::Physical(kind)) => {
                skipped.push(kind);
                continue;
            }
            None => modelled += 1,
        }
        let without_sequence_name;
        let mut key_storage = None;
        let action = match super::pgdump::identity_sequence_name(tokens, start, action_end) {
            Some((range, parts)) => {
                identity_sequence_is_default(schema, &name, &mut ac, &parts)?;
                let offset = |i: usize| tokens.offsets.get(i).copied().unwrap_or(text.len());
                let cut = format!(
                    "{}{}",
                    &text[tokens.offsets[start]..offset(range.start)],
                    &text[offset(range.end)..end.map_or(text.len(), |e| tokens.offsets[e])]
                );
                // `IDENTITY ()` once the name was the only option.
                without_sequence_name = match cut.trim_end().strip_suffix(')') {
                    Some(head) if head.trim_end().ends_with('(') => {
                        head.trim_end().trim_end_matches('(').to_string()
                    }
                    _ => cut,
                };
                without_sequence_name.as_str()
            }
            None => match create_table::key_storage_in_action(tokens, start, action_end)? {
                Some((range, params)) => {
                    let offset = |i: usize| tokens.offsets.get(i).copied().unwrap_or(text.len());
                    without_sequence_name = format!(
                        "{}{}",
                        &text[tokens.offsets[start]..offset(range.start)],
                        &text[offset(range.end)..end.map_or(text.len(), |e| tokens.offsets[e])]
                    );
                    key_storage = Some(params);
                    without_sequence_name.as_str()
                }
                None => action,
            },
        };
        let stored = match d {
            Dialect::Postgres => {
                let read = super::default_storage::without_defaults(
                    action,
                    super::default_storage::Statement::AlterTable,
                )?;
                let partitioned = schema
                    .table(&name)
                    .is_some_and(|t| t.partition_by.is_some());
                read.refuse_on_partitioned(partitioned)?;
                read.text
            }
            Dialect::Sqlite => std::borrow::Cow::Borrowed(action),
        };
        let action: &str = &stored;
        // The statement of one action, unchanged, is that action's
        // statement: its tokens are read already (tokenizing again was a
        // fifth of an unoptimised replay). Parsed as rewritten otherwise, and
        // when sqlparser does not take the whole (so that what is accepted
        // and the messages stay those of the rewritten statement).
        let whole = (one_action && d == Dialect::Postgres && std::ptr::eq(action, whole_action))
            .then(|| scan::parse_statement(text, d).ok())
            .flatten();
        let parsed = match whole {
            Some(statement) => statement,
            None => {
                let single = format!("ALTER TABLE {name_text} {action}");
                let single = match d {
                    Dialect::Sqlite => create_table::sqlite_declared_types(&single)?.into_owned(),
                    Dialect::Postgres => single,
                };
                scan::parse_statement(&single, d)?
            }
        };
        let ast::Statement::AlterTable(alter) = parsed else {
            return Err("expected an ALTER TABLE statement".into());
        };
        // Every field named: a clause sqlparser learns later fails to compile
        // here instead of being dropped. The name, IF EXISTS and ONLY are
        // read from tokens above.
        let ast::AlterTable {
            name: _,
            if_exists: _,
            only: _,
            operations,
            location,
            on_cluster,
            table_type,
            end_token: _,
        } = &alter;
        if location.is_some() || on_cluster.is_some() || table_type.is_some() {
            return Err("ALTER TABLE … SET LOCATION/ON CLUSTER/ICEBERG is not modelled".into());
        }
        for op in operations {
            if only {
                only_on_parent(schema, &name, op)?;
            }
            let children = if only || !recurses(op) {
                Vec::new()
            } else {
                partition::children(schema, &name)
            };
            let keys_before = key_names(schema, &name);
            name = match (key_storage.take(), op) {
                // The key's `WITH (…)`, read from tokens, goes with it as
                // in CREATE TABLE.
                (
                    Some(storage),
                    AlterTableOperation::AddConstraint {
                        constraint,
                        not_valid,
                    },
                ) => {
                    add_constraint(schema, &name, constraint, *not_valid, Some(storage))?;
                    name
                }
                (Some(_), _) => return Err("`WITH (…)` belongs to a key being added".into()),
                (None, op) => apply_op(schema, &name, op)?,
            };
            apply_to_children(schema, &children, op)?;
            let adds = matches!(
                op,
                AlterTableOperation::AddConstraint { .. } | AlterTableOperation::AddColumn { .. }
            );
            if adds && !only {
                // A key added to a partitioned table is copied onto its partitions.
                for key in key_names(schema, &name) {
                    if !keys_before.iter().any(|k| d.same_name(k, &key)) {
                        partition::copy_key_onto_partitions(schema, &name, &key)?;
                    }
                }
            }
        }
    }
    Ok(match (skipped.is_empty(), modelled) {
        (true, _) => Outcome::Applied,
        (false, 0) => Outcome::Skipped(skipped.join(", ")),
        (false, _) => Outcome::PartlySkipped(skipped),
    })
}

/// What a token-read action did.
enum TokenAction {
    /// Modelled; the table's name afterwards.
    Done(QualifiedName),
    /// Where and how rows are stored (clustering, tablespace, access
    /// method, a column's storage, compression and planner options): not
    /// part of the schema the model holds, so listed like ownership.
    Physical(String),
}

/// Actions sqlparser does not parse, read from tokens. `Some(name)` (the
/// table's name afterwards) when the action was one of them.
/// Byte offset of token `i` in the statement (its end when `i` is past the last).
fn tokens_offset(c: &scan::Cursor<'_>, i: usize) -> usize {
    c.tokens.offsets.get(i).copied().unwrap_or(usize::MAX)
}

fn token_action(
    schema: &mut Schema,
    table: &QualifiedName,
    text: &str,
    c: &mut scan::Cursor<'_>,
    end: usize,
) -> Fallible<Option<TokenAction>> {
    let d = schema.dialect;
    let start = c.pos;
    let done = Ok(Some(TokenAction::Done(table.clone())));
    let trigger_at = if c
        .peek_at(1)
        .is_some_and(|t| t.is_kw("REPLICA") || t.is_kw("ALWAYS"))
    {
        2
    } else {
        1
    };
    let firing_words = c
        .peek()
        .is_some_and(|t| t.is_kw("ENABLE") || t.is_kw("DISABLE"))
        && c.peek_at(trigger_at).is_some_and(|t| t.is_kw("TRIGGER"));
    if d == Dialect::Postgres && firing_words {
        let firing = super::objects::firing(c)
            .ok_or_else(|| format!("expected ENABLE or DISABLE {}", c.here()))?;
        c.expect(&["TRIGGER"])?;
        let which = match c.peek() {
            Some(scan::Tok::Word {
                text,
                quoted: false,
            }) if text.eq_ignore_ascii_case("ALL") => Triggers::All,
            Some(scan::Tok::Word {
                text,
                quoted: false,
            }) if text.eq_ignore_ascii_case("USER") => Triggers::User,
            _ => Triggers::Named(c.ident()?),
        };
        if matches!(which, Triggers::All | Triggers::User) {
            c.next();
        }
        if c.pos < end && !c.peek().is_some_and(|t| t.is_sym(";")) {
            return Err(format!(
                "ALTER TABLE … TRIGGER {} is not modelled",
                c.here()
            ));
        }
        set_firing(schema, table, &which, firing)?;
        c.pos = end;
        // ALL also sets the internal triggers of foreign keys and
        // deferrable constraints, which the model does not hold: back
        // to firing as created, they are as the model has them.
        if matches!(which, Triggers::All) && firing != Firing::Origin {
            return Ok(Some(TokenAction::Physical(format!(
                "ALTER TABLE … {} TRIGGER ALL (on the internal triggers of foreign keys and deferrable constraints)",
                firing.as_sql()
            ))));
        }
        return done;
    }
    if c.eat(&["VALIDATE", "CONSTRAINT"]) {
        let cname = c.ident()?;
        let t = table_mut(schema, table)?;
        let mut exists = false;
        for k in t.checks.iter_mut().filter(|k| named(&k.name, &cname, d)) {
            k.not_valid = false;
            exists = true;
        }
        for f in t
            .foreign_keys
            .iter_mut()
            .filter(|f| named(&f.name, &cname, d))
        {
            f.not_valid = false;
            exists = true;
        }
        return if exists {
            done
        } else {
            Err(format!("constraint `{cname}` of `{table}` does not exist"))
        };
    }
    if c.peek().is_some_and(|t| t.is_kw("SET")) && c.peek_at(1).is_some_and(|t| t.is_sym("(")) {
        c.next();
        let params = options::storage_params(c)?;
        let t = table_mut(schema, table)?;
        crate::schema::set_storage_in_order(&mut t.options.storage, params);
        options::check_toast(t)?;
        c.pos = end;
        return done;
    }
    if c.peek().is_some_and(|t| t.is_kw("RESET")) && c.peek_at(1).is_some_and(|t| t.is_sym("(")) {
        c.next();
        let names = options::storage_names(c)?;
        table_mut(schema, table)?
            .options
            .storage
            .retain(|p| !names.contains(&p.name));
        c.pos = end;
        return done;
    }
    if c.eat(&["CLUSTER", "ON"]) {
        let index = c.ident()?;
        let in_schema = QualifiedName::with_schema(table.schema.clone(), index.clone());
        let t = schema
            .table(table)
            .ok_or_else(|| format!("table `{table}` does not exist"))?;
        let on_table = schema
            .index(&in_schema)
            .is_some_and(|i| i.table.same_as(table, d))
            || t.primary_key.iter().any(|k| named(&k.name, &index, d))
            || t.uniques.iter().any(|u| named(&u.name, &index, d))
            || t.exclusions.iter().any(|x| named(&x.name, &index, d));
        if !on_table {
            return Err(format!("index `{index}` of `{table}` does not exist"));
        }
        table_mut(schema, table)?.options.cluster_on = Some(index);
        c.pos = end;
        return done;
    }
    if c.eat(&["SET", "WITHOUT", "CLUSTER"]) {
        table_mut(schema, table)?.options.cluster_on = None;
        c.pos = end;
        return done;
    }
    // Tablespace, access method: where rows are kept, not the schema.
    for words in [&["SET", "TABLESPACE"][..], &["SET", "ACCESS", "METHOD"]] {
        if c.eat(words) {
            c.pos = end;
            return Ok(Some(TokenAction::Physical(format!(
                "ALTER TABLE … {}",
                words.join(" ")
            ))));
        }
    }
    if c.eat(&["SET", "SCHEMA"]) {
        let ns = c.ident()?;
        let ns = names::qualify(vec![ns, String::new()], d).schema;
        let mut new = table.clone();
        new.schema = ns.clone();
        rename_table(schema, table, &new)?;
        for i in &mut schema.indexes {
            if i.table.same_as(&new, d) {
                i.name.schema = ns.clone();
            }
        }
        for s in &mut schema.sequences {
            if s.owned_by.as_ref().is_some_and(|(t, _)| t.same_as(&new, d)) {
                s.name.schema = ns.clone();
            }
        }
        return Ok(Some(TokenAction::Done(new)));
    }
    if c.eat(&["ALTER"]) {
        c.eat(&["COLUMN"]);
        let col = c.ident()?;
        if c.eat(&["SET", "STATISTICS"]) {
            let negative = c.eat_sym("-");
            let n = match c.next() {
                Some(scan::Tok::Num(n)) => n.parse::<i32>().ok(),
                _ => None,
            }
            .ok_or_else(|| format!("expected a number after SET STATISTICS {}", c.here()))?;
            let n = if negative { -n } else { n };
            let t = table_mut(schema, table)?;
            let column = t
                .column_mut(&col, d)
                .ok_or_else(|| format!("column `{col}` of `{table}` does not exist"))?;
            column.statistics = (n != -1).then_some(n);
            c.pos = end;
            return done;
        }
        if identity_actions_follow(c) {
            alter_identity(schema, table, &col, c, end)?;
            c.pos = end;
            return done;
        }
        if c.eat(&["SET", "STORAGE"]) {
            let word = c.ident()?;
            let storage = ColumnStorage::parse(&word)
                .ok_or_else(|| format!("unknown storage `{word}` for column `{col}`"))?;
            // A user type is named `name` or `schema.name` (see `ColumnType`).
            let is_enum = |ty: &crate::schema::ColumnType| {
                let name = match ty.name.split_once('.') {
                    Some((ns, n)) => {
                        QualifiedName::with_schema(Some(ns.to_string()), n.to_string())
                    }
                    None => QualifiedName::new(ty.name.clone()),
                };
                ty.user_defined && schema.enum_type(&name).is_some()
            };
            let column = schema
                .table(table)
                .and_then(|t| t.column(&col, d))
                .ok_or_else(|| format!("column `{col}` of `{table}` does not exist"))?;
            let default = d.rules().default_storage(&column.ty, is_enum(&column.ty));
            let column = table_mut(schema, table)?
                .column_mut(&col, d)
                .ok_or_else(|| format!("column `{col}` of `{table}` does not exist"))?;
            column.storage = (default != Some(storage)).then_some(storage);
            c.pos = end;
            return done;
        }
        if c.eat(&["SET", "COMPRESSION"]) {
            let method = c.ident()?.to_ascii_lowercase();
            let column = table_mut(schema, table)?
                .column_mut(&col, d)
                .ok_or_else(|| format!("column `{col}` of `{table}` does not exist"))?;
            column.compression = (method != "default").then_some(method);
            c.pos = end;
            return done;
        }
        if c.peek().is_some_and(|t| t.is_kw("SET") || t.is_kw("RESET"))
            && c.peek_at(1).is_some_and(|t| t.is_sym("("))
        {
            let set = c.next().is_some_and(|t| t.is_kw("SET"));
            let column = table_mut(schema, table)?
                .column_mut(&col, d)
                .ok_or_else(|| format!("column `{col}` of `{table}` does not exist"))?;
            if set {
                let params = options::storage_params(c)?;
                crate::schema::set_storage(&mut column.attribute_options, params);
            } else {
                let names = options::storage_names(c)?;
                column
                    .attribute_options
                    .retain(|p| !names.contains(&p.name));
            }
            c.pos = end;
            return done;
        }
        // sqlparser does not read `TYPE … COLLATE`.
        let type_at = c.pos;
        if c.eat(&["TYPE"]) || c.eat(&["SET", "DATA", "TYPE"]) {
            let ty_start = c.pos;
            while c.pos < end
                && !c
                    .peek()
                    .is_some_and(|t| t.is_kw("COLLATE") || t.is_kw("USING"))
            {
                c.pos += 1;
            }
            if c.peek().is_some_and(|t| t.is_kw("COLLATE")) {
                let offset = |i: usize| tokens_offset(c, i);
                let ty_sql = text
                    .get(offset(ty_start)..offset(c.pos))
                    .unwrap_or_default()
                    .trim();
                c.pos += 1;
                let collation = c.qualified()?;
                let ty = types::canonical_type(ty_sql, d)
                    .ok_or_else(|| format!("unknown type `{ty_sql}` for column `{col}`"))?;
                let t = table_mut(schema, table)?;
                let column = t
                    .column_mut(&col, d)
                    .ok_or_else(|| format!("column `{col}` of `{table}` does not exist"))?;
                column.ty = ty;
                column.collation = names::collation_of(collation);
                column.storage = None;
                column.compression = None;
                c.pos = end;
                return done;
            }
            c.pos = type_at;
        }
        let drop_identity = c.eat(&["DROP", "IDENTITY"]);
        let drop_expression = !drop_identity && c.eat(&["DROP", "EXPRESSION"]);
        if drop_identity || drop_expression {
            let if_exists = c.eat(&["IF", "EXISTS"]);
            let t = table_mut(schema, table)?;
            let column = t
                .column_mut(&col, d)
                .ok_or_else(|| format!("column `{col}` of `{table}` does not exist"))?;
            if drop_identity && column.identity.take().is_none() && !if_exists {
                return Err(format!(
                    "column `{col}` of `{table}` is not an identity column"
                ));
            }
            if drop_identity {
                column.identity_options = None;
            }
            if drop_expression && column.generated.take().is_none() && !if_exists {
                return Err(format!(
                    "column `{col}` of `{table}` is not a generated column"
                ));
            }
            c.pos = end;
            return done;
        }
    }
    c.pos = start;
    Ok(None)
}

/// Whether identity actions follow `ALTER COLUMN c`: `SET GENERATED …`,
/// `RESTART`, or `SET` with a sequence option (`SET INCREMENT BY 5`).
fn identity_actions_follow(c: &scan::Cursor<'_>) -> bool {
    let set_option = c.peek().is_some_and(|t| t.is_kw("SET"))
        && c.peek_at(1).is_some_and(|t| {
            [
                "GENERATED",
                "INCREMENT",
                "START",
                "MINVALUE",
                "MAXVALUE",
                "NO",
                "CACHE",
                "CYCLE",
            ]
            .iter()
            .any(|k| t.is_kw(k))
        });
    set_option || c.peek().is_some_and(|t| t.is_kw("RESTART"))
}

/// `ALTER COLUMN c { SET GENERATED { ALWAYS | BY DEFAULT } | SET option | RESTART [ [WITH] n ] } […]`.
fn alter_identity(
    schema: &mut Schema,
    table: &QualifiedName,
    col: &str,
    c: &mut scan::Cursor<'_>,
    end: usize,
) -> Fallible<()> {
    let d = schema.dialect;
    let mut kind = None;
    let mut written = options::SequenceChanges::default();
    while c.pos < end {
        if c.eat(&["SET", "GENERATED"]) {
            kind = Some(if c.eat(&["ALWAYS"]) {
                Identity::Always
            } else if c.eat(&["BY", "DEFAULT"]) {
                Identity::ByDefault
            } else {
                return Err(format!("expected ALWAYS or BY DEFAULT {}", c.here()));
            });
            continue;
        }
        c.eat(&["SET"]);
        // One option at a time: the next `SET` starts another.
        let stop = (c.pos + 1..end)
            .find(|&i| c.tokens.toks[i].is_kw("SET") || c.tokens.toks[i].is_kw("RESTART"))
            .unwrap_or(end);
        let one = options::sequence_options(c, stop, d)?;
        if one.owned_by.is_some() || one.sequence_name.is_some() || one.unlogged.is_some() {
            return Err(format!("identity option of `{col}` is not modelled"));
        }
        written.data_type = one.data_type.or(written.data_type);
        written.start = one.start.or(written.start);
        written.increment = one.increment.or(written.increment);
        written.min = one.min.or(written.min);
        written.max = one.max.or(written.max);
        written.cache = one.cache.or(written.cache);
        written.cycle = one.cycle.or(written.cycle);
    }
    let t = table_mut(schema, table)?;
    let column = t
        .column_mut(col, d)
        .ok_or_else(|| format!("column `{col}` of `{table}` does not exist"))?;
    if column.identity.is_none() {
        return Err(format!(
            "column `{col}` of `{table}` is not an identity column"
        ));
    }
    if let Some(kind) = kind {
        column.identity = Some(kind);
    }
    if !written.is_empty() {
        let base = match &column.identity_options {
            Some(o) => o.clone(),
            None => create_table::identity_options(column, Default::default())?,
        };
        column.identity_options = Some(written.resolve(Some(&base))?);
    }
    Ok(())
}

/// The identity column's sequence is named by the server (`table_col_seq`,
/// made unique); the model holds no other name, so another one is refused.
fn identity_sequence_is_default(
    schema: &Schema,
    table: &QualifiedName,
    c: &mut scan::Cursor<'_>,
    parts: &[super::pgdump::NamePart],
) -> Fallible<()> {
    c.eat(&["ALTER"]);
    c.eat(&["COLUMN"]);
    let column = c.ident()?;
    identity_sequence_named_by_default(schema, table, &column, parts)
}

/// Refuses an identity sequence name other than the one the server would
/// choose: the model names no identity sequence.
pub(super) fn identity_sequence_named_by_default(
    schema: &Schema,
    table: &QualifiedName,
    column: &str,
    parts: &[super::pgdump::NamePart],
) -> Fallible<()> {
    let d = schema.dialect;
    let given = names::qualify(
        parts
            .iter()
            .map(|(text, quoted)| names::fold(text, *quoted, d))
            .collect(),
        d,
    );
    let expected = names::choose_name(
        schema,
        table.schema.as_deref(),
        &table.name,
        Some(column),
        "seq",
    );
    if given.schema == table.schema && d.same_name(&given.name, &expected) {
        Ok(())
    } else {
        Err(format!(
            "identity sequence `{given}` is not named as the server names it (`{expected}`): other names are not modelled"
        ))
    }
}

/// Consumes `kw (` if it follows.
/// Token ranges of the comma-separated actions starting at `from`.
fn actions(tokens: &scan::Tokens, from: usize) -> Vec<(usize, Option<usize>)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = from;
    for (i, t) in tokens.toks.iter().enumerate().skip(from) {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth = depth.saturating_sub(1);
        } else if t.is_sym(",") && depth == 0 {
            out.push((start, Some(i)));
            start = i + 1;
        }
    }
    if start < tokens.toks.len() {
        out.push((start, None));
    }
    out
}

/// `ALTER CONSTRAINT name [NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`;
/// `INITIALLY DEFERRED` implies `DEFERRABLE`, as in the server's grammar, and
/// what is not said is the default, not what the constraint had: the server
/// sets both from the clause (`DEFERRABLE` alone is initially immediate,
/// `INITIALLY IMMEDIATE` alone not deferrable).
fn alter_constraint(
    schema: &mut Schema,
    table: &QualifiedName,
    c: &mut scan::Cursor<'_>,
    end: usize,
) -> Fallible<()> {
    let d = schema.dialect;
    let cname = c.ident()?;
    let mut deferrable = None;
    let mut deferred = None;
    while c.pos < end {
        if c.eat(&["NOT", "DEFERRABLE"]) {
            deferrable = Some(false);
        } else if c.eat(&["DEFERRABLE"]) {
            deferrable = Some(true);
        } else if c.eat(&["INITIALLY", "DEFERRED"]) {
            deferred = Some(true);
        } else if c.eat(&["INITIALLY", "IMMEDIATE"]) {
            deferred = Some(false);
        } else if c.eat(&["ENFORCED"]) {
            // What every constraint is.
        } else {
            return Err(format!("ALTER CONSTRAINT {} is not modelled", c.here()));
        }
    }
    let t = table_mut(schema, table)?;
    let slot = t
        .foreign_keys
        .iter_mut()
        .find(|f| named(&f.name, &cname, d))
        .map(|f| &mut f.deferrable)
        .or_else(|| {
            t.uniques
                .iter_mut()
                .find(|u| named(&u.name, &cname, d))
                .map(|u| &mut u.deferrable)
        })
        .ok_or_else(|| format!("constraint `{cname}` of `{table}` does not exist"))?;
    let deferrable = deferrable.unwrap_or(deferred == Some(true));
    *slot = match (deferrable, deferred.unwrap_or(false)) {
        (false, _) => Deferrable::NotDeferrable,
        (true, true) => Deferrable::InitiallyDeferred,
        (true, false) => Deferrable::InitiallyImmediate,
    };
    Ok(())
}

/// `ADD CONSTRAINT`, with the `WITH (…)` of a key read from tokens.
fn add_constraint(
    schema: &mut Schema,
    name: &QualifiedName,
    constraint: &ast::TableConstraint,
    not_valid: bool,
    key_storage: Option<Vec<crate::schema::StorageParam>>,
) -> Fallible<()> {
    let mut pending = Pending::from_table_constraint(constraint, schema.dialect)?;
    pending.not_valid = not_valid;
    if let Some(storage) = key_storage {
        pending.set_key_storage(storage)?;
    }
    create_table::apply_constraints(schema, name, vec![pending])?;
    Ok(())
}

/// Applies one action; returns the table's name afterwards (RENAME TO).
fn apply_op(
    schema: &mut Schema,
    name: &QualifiedName,
    op: &AlterTableOperation,
) -> Fallible<QualifiedName> {
    let d = schema.dialect;
    match op {
        AlterTableOperation::AddColumn {
            column_keyword: _,
            if_not_exists,
            column_def,
            column_position,
        } => {
            if let Some(position) = column_position {
                return Err(format!(
                    "ADD COLUMN … {position} is MySQL's: a column is added last"
                ));
            }
            let col = names::ident(&column_def.name, d);
            if *if_not_exists && table(schema, name)?.column(&col, d).is_some() {
                return Ok(name.clone());
            }
            let pending = create_table::add_column(schema, name, column_def)?;
            create_table::apply_constraints(schema, name, pending)?;
        }
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid,
        } => add_constraint(schema, name, constraint, *not_valid, None)?,
        AlterTableOperation::DropConstraint {
            if_exists,
            name: cname,
            drop_behavior,
        } => {
            let cname = names::ident(cname, d);
            let cascade = matches!(drop_behavior, Some(DropBehavior::Cascade));
            drop_key_dependents(schema, name, &cname, cascade)?;
            let dropped = drop_constraint(table_mut(schema, name)?, &cname, d);
            if !dropped && !if_exists {
                return Err(format!("constraint `{cname}` of `{name}` does not exist"));
            }
        }
        AlterTableOperation::DropPrimaryKey { drop_behavior } => {
            let cascade = matches!(drop_behavior, Some(DropBehavior::Cascade));
            let key = table(schema, name)?
                .primary_key
                .as_ref()
                .and_then(|k| k.name.clone());
            if let Some(key) = key {
                drop_key_dependents(schema, name, &key, cascade)?;
            }
            let t = table_mut(schema, name)?;
            if t.primary_key.take().is_none() {
                return Err(format!("table `{name}` has no primary key"));
            }
            t.forget_dropped_constraint_copies(d);
        }
        AlterTableOperation::DropColumn {
            has_column_keyword: _,
            column_names,
            if_exists,
            drop_behavior,
        } => {
            for col in column_names {
                let col = names::ident(col, d);
                if table(schema, name)?.column(&col, d).is_none() {
                    if *if_exists {
                        continue;
                    }
                    return Err(format!("column `{col}` of `{name}` does not exist"));
                }
                let cascade = matches!(drop_behavior, Some(DropBehavior::Cascade));
                drop_column(schema, name, &col, cascade)?;
            }
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => {
            let old = names::ident(old_column_name, d);
            let new = names::ident(new_column_name, d);
            rename_column(schema, name, &old, &new)?;
        }
        AlterTableOperation::RenameTable { table_name } => {
            let (ast::RenameTableNameKind::As(new) | ast::RenameTableNameKind::To(new)) =
                table_name;
            let mut new = names::object_name(new, d)?;
            // The new name stays in the table's schema (PostgreSQL refuses a
            // qualified target; SQLite ignores it).
            new.schema = name.schema.clone();
            rename_table(schema, name, &new)?;
            return Ok(new);
        }
        AlterTableOperation::RenameConstraint { old_name, new_name } => {
            let old = names::ident(old_name, d);
            let new = names::ident(new_name, d);
            let t = table_mut(schema, name)?;
            if !rename_constraint(t, &old, &new, d)
                && !rename_constraint_copy(schema, Some(name), None, &old, &new)
            {
                return Err(format!("constraint `{old}` of `{name}` does not exist"));
            }
        }
        AlterTableOperation::AlterColumn { column_name, op } => {
            let col = names::ident(column_name, d);
            alter_column(schema, name, &col, op)?;
        }
        AlterTableOperation::EnableRowLevelSecurity => {
            table_mut(schema, name)?.options.row_security = true
        }
        AlterTableOperation::DisableRowLevelSecurity => {
            table_mut(schema, name)?.options.row_security = false
        }
        AlterTableOperation::ForceRowLevelSecurity => {
            table_mut(schema, name)?.options.force_row_security = true
        }
        AlterTableOperation::NoForceRowLevelSecurity => {
            table_mut(schema, name)?.options.force_row_security = false
        }
        AlterTableOperation::SetLogged => set_persistence(schema, name, false)?,
        AlterTableOperation::SetUnlogged => set_persistence(schema, name, true)?,
        AlterTableOperation::ReplicaIdentity { identity } => {
            let identity = match identity {
                ast::ReplicaIdentity::Default => ReplicaIdentity::Default,
                ast::ReplicaIdentity::Full => ReplicaIdentity::Full,
                ast::ReplicaIdentity::Nothing => ReplicaIdentity::Nothing,
                ast::ReplicaIdentity::Index(i) => {
                    let index = names::ident(i, d);
                    let t = table(schema, name)?;
                    let qualified = QualifiedName::with_schema(name.schema.clone(), index.clone());
                    let is_index = schema
                        .index(&qualified)
                        .is_some_and(|i| i.table.same_as(name, d) && i.unique);
                    let is_key = t
                        .primary_key
                        .as_ref()
                        .is_some_and(|k| named(&k.name, &index, d))
                        || t.uniques.iter().any(|u| named(&u.name, &index, d));
                    if !is_index && !is_key {
                        return Err(format!("`{index}` is not a unique index of `{name}`"));
                    }
                    ReplicaIdentity::Index(index)
                }
            };
            table_mut(schema, name)?.options.replica_identity = identity;
        }
        AlterTableOperation::AttachPartitionOf {
            partition,
            for_values,
        } => partition::attach(schema, name, partition, for_values)?,
        // CONCURRENTLY and FINALIZE change how, not what.
        AlterTableOperation::DetachPartitionOf { partition, mode: _ } => {
            partition::detach(schema, name, partition)?
        }
        AlterTableOperation::Inherit { parent } => {
            let parent = names::object_name(parent, d)?;
            partition::set_inherit(schema, name, &parent, true)?
        }
        AlterTableOperation::NoInherit { parent } => {
            let parent = names::object_name(parent, d)?;
            partition::set_inherit(schema, name, &parent, false)?
        }
        // Ownership is not part of the model.
        AlterTableOperation::OwnerTo { .. } => {}
        // Read from tokens (`token_action`) before sqlparser sees them.
        AlterTableOperation::EnableTrigger { .. }
        | AlterTableOperation::DisableTrigger { .. }
        | AlterTableOperation::EnableAlwaysTrigger { .. }
        | AlterTableOperation::EnableReplicaTrigger { .. } => {
            return Err(format!("ALTER TABLE action `{op}` is not modelled"));
        }
        other => return Err(format!("ALTER TABLE action `{other}` is not modelled")),
    }
    Ok(name.clone())
}

/// The triggers `ENABLE/DISABLE … TRIGGER` names.
enum Triggers {
    Named(String),
    /// The table's own triggers.
    User,
    /// Its own and the internal ones.
    All,
}

/// `ENABLE/DISABLE [REPLICA|ALWAYS] TRIGGER name|USER|ALL` of table
/// `table`, on the triggers the model holds.
fn set_firing(
    schema: &mut Schema,
    table: &QualifiedName,
    which: &Triggers,
    firing: Firing,
) -> Fallible<()> {
    let d = schema.dialect;
    let mut found = false;
    for o in schema.opaque.iter_mut().filter(|o| {
        o.kind == OpaqueKind::Trigger
            && o.on_table.as_ref().is_some_and(|t| t.same_as(table, d))
            && match which {
                Triggers::Named(n) => d.same_name(&o.name.name, n),
                Triggers::User | Triggers::All => true,
            }
    }) {
        o.firing = firing;
        found = true;
    }
    match which {
        Triggers::Named(n) if !found => {
            Err(format!("trigger `{n}` for table `{table}` does not exist"))
        }
        _ => Ok(()),
    }
}

/// `SET LOGGED/UNLOGGED`: the sequences the table's columns own follow it
/// (PostgreSQL 15).
fn set_persistence(schema: &mut Schema, name: &QualifiedName, unlogged: bool) -> Fallible<()> {
    let d = schema.dialect;
    table_mut(schema, name)?.options.unlogged = unlogged;
    for s in &mut schema.sequences {
        if s.owned_by.as_ref().is_some_and(|(t, _)| t.same_as(name, d)) {
            s.unlogged = unlogged;
        }
    }
    Ok(())
}

/// Column changes PostgreSQL makes on a table's partitions and inheritance
/// children too (unless `ONLY`); constraints added to the parent are the
/// parent's (the children's copies are not listed in the model).
fn recurses(op: &AlterTableOperation) -> bool {
    match op {
        // Identity is not inherited.
        AlterTableOperation::AlterColumn {
            op: AlterColumnOperation::AddGenerated { .. },
            ..
        } => false,
        AlterTableOperation::AddColumn { .. }
        | AlterTableOperation::DropColumn { .. }
        | AlterTableOperation::RenameColumn { .. }
        | AlterTableOperation::AlterColumn { .. } => true,
        _ => false,
    }
}

/// `ALTER TABLE ONLY parent …` where the server wants the change on the
/// children too; a column dropped from an inheritance parent only stays
/// in its children as their own.
fn only_on_parent(
    schema: &mut Schema,
    name: &QualifiedName,
    op: &AlterTableOperation,
) -> Fallible<()> {
    let d = schema.dialect;
    let children = partition::children(schema, name);
    if children.is_empty() {
        return Ok(());
    }
    let partitioned = table(schema, name)?.partition_by.is_some();
    let refused = match op {
        AlterTableOperation::AddColumn { .. } | AlterTableOperation::RenameColumn { .. } => true,
        AlterTableOperation::AlterColumn { op, column_name } => match op {
            AlterColumnOperation::SetDataType { .. } => true,
            // Accepted when every partition has it NOT NULL already.
            AlterColumnOperation::SetNotNull => {
                partitioned
                    && children.iter().any(|c| {
                        schema
                            .table(c)
                            .and_then(|t| t.column(&names::ident(column_name, d), d))
                            .is_some_and(|col| col.nullable)
                    })
            }
            AlterColumnOperation::DropNotNull => partitioned,
            _ => false,
        },
        AlterTableOperation::DropColumn { column_names, .. } => {
            if partitioned {
                true
            } else {
                for child in &children {
                    if let Some(t) = schema.table_mut(child) {
                        for c in column_names {
                            if let Some(col) = t.column_mut(&names::ident(c, d), d) {
                                col.inherited = false;
                            }
                        }
                    }
                }
                false
            }
        }
        _ => false,
    };
    if refused {
        return Err(format!(
            "ALTER TABLE ONLY `{name}`: this change must be made on its partitions or inheriting tables too"
        ));
    }
    Ok(())
}

fn apply_to_children(
    schema: &mut Schema,
    children: &[QualifiedName],
    op: &AlterTableOperation,
) -> Fallible<()> {
    let d = schema.dialect;
    for child in children {
        let grandchildren = partition::children(schema, child);
        let skip = match op {
            // An inheriting table that has the column already merges it.
            AlterTableOperation::AddColumn { column_def, .. } => table(schema, child)?
                .column(&names::ident(&column_def.name, d), d)
                .is_some(),
            AlterTableOperation::DropColumn { column_names, .. } => column_names.iter().all(|c| {
                table(schema, child).is_ok_and(|t| t.column(&names::ident(c, d), d).is_none())
            }),
            _ => false,
        };
        if skip {
            continue;
        }
        let op = match op {
            // The copy of a column on a child keeps no constraint of the
            // parent's: those stay the parent's.
            AlterTableOperation::AddColumn {
                column_keyword,
                if_not_exists,
                column_def,
                column_position,
            } => {
                let mut def = column_def.clone();
                def.options.retain(|o| {
                    !matches!(
                        o.option,
                        ast::ColumnOption::PrimaryKey(_)
                            | ast::ColumnOption::Unique(_)
                            | ast::ColumnOption::ForeignKey(_)
                            | ast::ColumnOption::Check(_)
                    )
                });
                AlterTableOperation::AddColumn {
                    column_keyword: *column_keyword,
                    if_not_exists: *if_not_exists,
                    column_def: def,
                    column_position: column_position.clone(),
                }
            }
            other => other.clone(),
        };
        apply_op(schema, child, &op)?;
        if let AlterTableOperation::AddColumn { column_def, .. } = &op
            && let Some(t) = schema.table_mut(child)
            && t.partition_of.is_none()
            && let Some(c) = t.column_mut(&names::ident(&column_def.name, d), d)
        {
            c.inherited = true;
        }
        apply_to_children(schema, &grandchildren, &op)?;
    }
    Ok(())
}

fn table<'s>(schema: &'s Schema, name: &QualifiedName) -> Fallible<&'s Table> {
    schema
        .table(name)
        .ok_or_else(|| format!("table `{name}` does not exist"))
}

fn table_mut<'s>(schema: &'s mut Schema, name: &QualifiedName) -> Fallible<&'s mut Table> {
    schema
        .table_mut(name)
        .ok_or_else(|| format!("table `{name}` does not exist"))
}

/// The names of a table's primary key and unique constraints.
fn key_names(schema: &Schema, name: &QualifiedName) -> Vec<String> {
    schema
        .table(name)
        .map(|t| {
            t.primary_key
                .iter()
                .filter_map(|k| k.name.clone())
                .chain(t.uniques.iter().filter_map(|u| u.name.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn named(n: &Option<String>, name: &str, d: Dialect) -> bool {
    n.as_deref().is_some_and(|n| d.same_name(n, name))
}

/// The foreign keys that use key `cname` of `name` (those referencing its
/// columns): the server refuses to drop the key without CASCADE and drops
/// them with it. Which of two keys on the same columns a foreign key uses is
/// not modelled, so dropping one of them under a foreign key is refused.
fn drop_key_dependents(
    schema: &mut Schema,
    name: &QualifiedName,
    cname: &str,
    cascade: bool,
) -> Fallible<()> {
    let d = schema.dialect;
    let t = table(schema, name)?;
    let set = |cols: &[String]| {
        let mut keys: Vec<String> = cols.iter().map(|c| d.name_key(c).into_owned()).collect();
        keys.sort();
        keys
    };
    let keys: Vec<(Option<String>, Vec<String>)> = t
        .primary_key
        .iter()
        .map(|k| (k.name.clone(), set(&k.columns)))
        .chain(t.uniques.iter().map(|u| (u.name.clone(), set(&u.columns))))
        .collect();
    let is_dropped = |n: &Option<String>| n.as_deref().is_some_and(|n| d.same_name(n, cname));
    let Some((_, dropped)) = keys.iter().find(|(n, _)| is_dropped(n)) else {
        return Ok(());
    };
    let uses = |f: &crate::schema::ForeignKey| {
        f.referenced_table.same_as(name, d) && set(&f.referenced_columns) == *dropped
    };
    let dependents: Vec<String> = schema
        .tables
        .iter()
        .flat_map(|t| t.foreign_keys.iter().filter(|f| uses(f)))
        .map(|f| f.name.clone().unwrap_or_default())
        .collect();
    if dependents.is_empty() {
        return Ok(());
    }
    if !cascade {
        return Err(format!(
            "constraint `{cname}` of `{name}` is used by foreign key(s) {} (use CASCADE)",
            dependents.join(", ")
        ));
    }
    let unique_indexes = schema
        .indexes
        .iter()
        .filter(|i| i.table.same_as(name, d) && i.unique && i.predicate.is_none());
    let index_sets = unique_indexes.filter_map(|i| {
        let cols: Option<Vec<String>> = i
            .columns
            .iter()
            .map(|c| match &c.expr {
                IndexExpr::Column(c) => Some(c.clone()),
                IndexExpr::Expression(_) => None,
            })
            .collect();
        cols.map(|c| set(&c))
    });
    let others = keys
        .iter()
        .filter(|(n, _)| !is_dropped(n))
        .map(|(_, cols)| cols.clone())
        .chain(index_sets)
        .filter(|cols| cols == dropped)
        .count();
    if others > 0 {
        return Err(format!(
            "which key of `{name}` foreign key(s) {} use is not modelled: drop them before `{cname}`",
            dependents.join(", ")
        ));
    }
    let referencing: Vec<usize> = (0..schema.tables.len())
        .filter(|&i| schema.tables[i].foreign_keys.iter().any(uses))
        .collect();
    for i in referencing {
        if let Some(t) = schema.tables.get_mut_at(i) {
            t.foreign_keys.retain(|f| !uses(f));
            t.forget_dropped_constraint_comments(d);
        }
    }
    Ok(())
}

pub(super) fn drop_constraint(t: &mut Table, cname: &str, d: Dialect) -> bool {
    if t.primary_key
        .as_ref()
        .is_some_and(|pk| named(&pk.name, cname, d))
    {
        t.primary_key = None;
        t.index_dropped(cname, d);
        t.forget_dropped_constraint_copies(d);
        return true;
    }
    let count =
        |t: &Table| t.uniques.len() + t.checks.len() + t.foreign_keys.len() + t.exclusions.len();
    let before = count(t);
    t.uniques.retain(|u| !named(&u.name, cname, d));
    t.checks.retain(|c| !named(&c.name, cname, d));
    t.foreign_keys.retain(|f| !named(&f.name, cname, d));
    t.exclusions.retain(|x| !named(&x.name, cname, d));
    t.forget_dropped_constraint_comments(d);
    t.forget_dropped_constraint_copies(d);
    let dropped = before != count(t);
    if dropped {
        t.index_dropped(cname, d);
    }
    dropped
}

pub(super) fn rename_constraint(t: &mut Table, old: &str, new: &str, d: Dialect) -> bool {
    let names = t
        .primary_key
        .iter_mut()
        .map(|pk| &mut pk.name)
        .chain(t.uniques.iter_mut().map(|u| &mut u.name))
        .chain(t.checks.iter_mut().map(|c| &mut c.name))
        .chain(t.foreign_keys.iter_mut().map(|f| &mut f.name))
        .chain(t.exclusions.iter_mut().map(|x| &mut x.name));
    let mut renamed = false;
    for n in names {
        if named(n, old, d) {
            *n = Some(new.to_string());
            renamed = true;
            break;
        }
    }
    if !renamed {
        return false;
    }
    t.index_renamed(old, new, d);
    for (c, _) in &mut t.constraint_comments {
        if d.same_name(c, old) {
            *c = new.to_string();
        }
    }
    t.constraint_comments.sort();
    for c in &mut t.constraint_copies {
        if d.same_name(&c.constraint, old) {
            c.constraint = new.to_string();
        }
    }
    t.constraint_copies.sort();
    true
}

/// `RENAME CONSTRAINT` of a partition's copy of its parent's key (or
/// `ALTER INDEX` of the copy's index): the copy named `old` on `table`.
pub(super) fn rename_constraint_copy(
    schema: &mut Schema,
    table: Option<&QualifiedName>,
    namespace: Option<&str>,
    old: &str,
    new: &str,
) -> bool {
    let d = schema.dialect;
    let found = schema
        .tables
        .iter_mut()
        .flat_map(|t| t.constraint_copies.iter_mut())
        .find(|c| {
            table.map_or(c.table.schema.as_deref() == namespace, |t| {
                c.table.same_as(t, d)
            }) && d.same_name(&c.name, old)
        });
    match found {
        Some(c) => {
            c.name = new.to_string();
            true
        }
        None => false,
    }
}

fn drop_column(
    schema: &mut Schema,
    name: &QualifiedName,
    col: &str,
    cascade: bool,
) -> Fallible<()> {
    let d = schema.dialect;
    super::publication::column_dropped(schema, name, col, cascade)?;
    let referenced_elsewhere = schema.tables.iter().any(|t| {
        !t.name.same_as(name, d)
            && t.foreign_keys.iter().any(|f| {
                f.referenced_table.same_as(name, d)
                    && f.referenced_columns.iter().any(|c| d.same_name(c, col))
            })
    });
    if referenced_elsewhere && !cascade && d == Dialect::Postgres {
        return Err(format!(
            "column `{col}` of `{name}` is referenced by a foreign key (use CASCADE)"
        ));
    }
    let references = |f: &crate::schema::ForeignKey| {
        f.referenced_table.same_as(name, d)
            && f.referenced_columns.iter().any(|c| d.same_name(c, col))
    };
    // Only the tables whose keys change are touched (the name index stays).
    let referencing: Vec<usize> = (0..schema.tables.len())
        .filter(|&i| {
            let t = &schema.tables[i];
            !t.name.same_as(name, d) && t.foreign_keys.iter().any(references)
        })
        .collect();
    for i in referencing {
        if let Some(t) = schema.tables.get_mut_at(i) {
            t.foreign_keys.retain(|f| !references(f));
        }
    }
    let t = table_mut(schema, name)?;
    t.columns.retain(|c| !d.same_name(&c.name, col));
    // Constraints involving the column go with it.
    let has = |cols: &[String]| cols.iter().any(|c| d.same_name(c, col));
    if t.primary_key.as_ref().is_some_and(|pk| has(&pk.columns)) {
        t.primary_key = None;
    }
    t.uniques.retain(|u| !has(&u.columns));
    t.foreign_keys.retain(|f| !has(&f.columns));
    let column_words = |e: &Expr| mentions(&e.sql, col, d);
    t.checks.retain(|c| !column_words(&c.expr));
    t.exclusions.retain(|x| !column_words(&x.definition));
    t.forget_dropped_constraint_comments(d);
    t.forget_dropped_constraint_copies(d);
    schema.indexes.retain(|i| {
        !(i.table.same_as(name, d)
            && (i.columns.iter().any(|c| match &c.expr {
                IndexExpr::Column(c) => d.same_name(c, col),
                IndexExpr::Expression(e) => column_words(e),
            }) || i.include.iter().any(|c| d.same_name(c, col))
                || i.predicate.as_ref().is_some_and(column_words)))
    });
    schema.sequences.retain(|s| {
        !s.owned_by
            .as_ref()
            .is_some_and(|(t, c)| t.same_as(name, d) && d.same_name(c, col))
    });
    Ok(())
}

/// Whether `sql` mentions the identifier `word` (not as a function name).
pub(super) fn mentions(sql: &str, word: &str, d: Dialect) -> bool {
    identifiers(sql, d).contains(d.name_key(word).as_ref())
}

/// The identifiers `sql` mentions (not function names), by name key.
pub(super) fn identifiers(sql: &str, d: Dialect) -> std::collections::HashSet<String> {
    let Ok(tokens) = scan::tokenize(sql, d) else {
        return Default::default();
    };
    tokens
        .toks
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            scan::Tok::Word { text, quoted }
                if !tokens.toks.get(i + 1).is_some_and(|n| n.is_sym("(")) =>
            {
                Some(d.name_key(&names::fold(text, *quoted, d)).into_owned())
            }
            _ => None,
        })
        .collect()
}

/// `sql` with the identifier `old` (not a function name) replaced by `new`;
/// `None` when it does not occur.
fn rename_word(sql: &str, old: &str, new: &str, d: Dialect) -> Option<String> {
    rename_identifier(sql, old, new, d, false)
}

/// `sql` with the identifier `old` replaced by `new`, function names too
/// when `calls`; `None` when it does not occur.
pub(super) fn rename_identifier(
    sql: &str,
    old: &str,
    new: &str,
    d: Dialect,
    calls: bool,
) -> Option<String> {
    let tokens = scan::tokenize(sql, d).ok()?;
    let mut out = String::with_capacity(sql.len());
    let mut last = 0;
    for (i, t) in tokens.toks.iter().enumerate() {
        let scan::Tok::Word { text, quoted } = t else {
            continue;
        };
        let is_call = tokens.toks.get(i + 1).is_some_and(|n| n.is_sym("("));
        if (is_call && !calls) || !d.same_name(&names::fold(text, *quoted, d), old) {
            continue;
        }
        let start = tokens.offsets[i];
        let end = tokens.offsets.get(i + 1).copied().unwrap_or(sql.len());
        // The token's own text ends before any white space that follows it.
        let token_text = sql[start..end].trim_end();
        out.push_str(&sql[last..start]);
        out.push_str(&quote::ident(new, d));
        last = start + token_text.len();
    }
    (last > 0).then(|| {
        out.push_str(&sql[last..]);
        out
    })
}

pub(super) fn rename_in_expr(e: &mut Expr, old: &str, new: &str, d: Dialect) {
    if let Some(sql) = rename_word(&e.sql, old, new, d) {
        *e = Expr::new(sql, d);
    }
}

pub(super) fn rename_column(
    schema: &mut Schema,
    name: &QualifiedName,
    old: &str,
    new: &str,
) -> Fallible<()> {
    let d = schema.dialect;
    let t = table_mut(schema, name)?;
    if t.column(new, d).is_some() && !d.same_name(old, new) {
        return Err(format!("column `{new}` of `{name}` already exists"));
    }
    let column = t
        .column_mut(old, d)
        .ok_or_else(|| format!("column `{old}` of `{name}` does not exist"))?;
    column.name = new.to_string();
    let rename = |cols: &mut Vec<String>| {
        for c in cols.iter_mut() {
            if d.same_name(c, old) {
                *c = new.to_string();
            }
        }
    };
    if let Some(pk) = &mut t.primary_key {
        rename(&mut pk.columns);
    }
    for u in &mut t.uniques {
        rename(&mut u.columns);
    }
    for f in &mut t.foreign_keys {
        rename(&mut f.columns);
    }
    // The server keeps expressions as trees and prints them with the new name.
    for c in &mut t.checks {
        rename_in_expr(&mut c.expr, old, new, d);
    }
    for x in &mut t.exclusions {
        rename_in_expr(&mut x.definition, old, new, d);
    }
    for c in &mut t.columns {
        if let Some(g) = &mut c.generated {
            rename_in_expr(&mut g.expr, old, new, d);
        }
    }
    schema.tables.update_where(
        |other| {
            other
                .foreign_keys
                .iter()
                .any(|f| f.referenced_table.same_as(name, d))
        },
        |other| {
            for f in &mut other.foreign_keys {
                if f.referenced_table.same_as(name, d) {
                    rename(&mut f.referenced_columns);
                }
            }
        },
    );
    schema.indexes.update_where(
        |i| i.table.same_as(name, d),
        |i| {
            for c in &mut i.columns {
                match &mut c.expr {
                    IndexExpr::Column(c) if d.same_name(c, old) => *c = new.to_string(),
                    IndexExpr::Column(_) => {}
                    IndexExpr::Expression(e) => rename_in_expr(e, old, new, d),
                }
            }
            rename(&mut i.include);
            if let Some(p) = &mut i.predicate {
                rename_in_expr(p, old, new, d);
            }
        },
    );
    schema.sequences.update_where(
        |s| {
            s.owned_by
                .as_ref()
                .is_some_and(|(t, c)| t.same_as(name, d) && d.same_name(c, old))
        },
        |s| {
            if let Some((_, c)) = &mut s.owned_by {
                *c = new.to_string();
            }
        },
    );
    for p in schema
        .policies
        .iter_mut()
        .filter(|p| p.table.same_as(name, d))
    {
        for e in p.using.iter_mut().chain(p.with_check.iter_mut()) {
            rename_in_expr(e, old, new, d);
        }
    }
    super::policy::rekey(schema, name);
    super::publication::column_renamed(schema, name, old, new);
    Ok(())
}

pub(super) fn rename_table(
    schema: &mut Schema,
    old: &QualifiedName,
    new: &QualifiedName,
) -> Fallible<()> {
    let d = schema.dialect;
    let ns = new.schema.as_deref();
    let taken = schema.table(new).is_some()
        || schema.view(new).is_some()
        || d == Dialect::Postgres
            && (super::names::relation_taken(schema, ns, &new.name)
                || super::names::type_taken(schema, ns, &new.name));
    if !old.same_as(new, d) && taken {
        return Err(format!("relation `{new}` already exists"));
    }
    table_mut(schema, old)?.name = new.clone();
    for t in &mut schema.tables {
        for f in &mut t.foreign_keys {
            if f.referenced_table.same_as(old, d) {
                f.referenced_table = new.clone();
            }
        }
    }
    for i in &mut schema.indexes {
        if i.table.same_as(old, d) {
            i.table = new.clone();
        }
        for c in &mut i.partition_copies {
            if c.table.same_as(old, d) {
                c.table = new.clone();
            }
            if c.under.as_ref().is_some_and(|u| u.same_as(old, d)) {
                c.under = Some(new.clone());
            }
        }
        i.partition_copies.sort();
    }
    for t in &mut schema.tables {
        if t.constraint_copies.is_empty() {
            continue;
        }
        for c in &mut t.constraint_copies {
            if c.table.same_as(old, d) {
                c.table = new.clone();
            }
        }
        t.constraint_copies.sort();
    }
    for s in &mut schema.sequences {
        if let Some((t, _)) = &mut s.owned_by
            && t.same_as(old, d)
        {
            *t = new.clone();
        }
    }
    for o in &mut schema.opaque {
        if let Some(t) = &mut o.on_table
            && t.same_as(old, d)
        {
            *t = new.clone();
        }
        for r in &mut o.references {
            if r.kind == crate::schema::RefKind::Relation && r.name.same_as(old, d) {
                r.name = new.clone();
            }
        }
    }
    for p in &mut schema.policies {
        if p.table.same_as(old, d) {
            p.table = new.clone();
        }
    }
    super::policy::rekey(schema, new);
    super::publication::table_renamed(schema, old, new);
    Ok(())
}

fn alter_column(
    schema: &mut Schema,
    name: &QualifiedName,
    col: &str,
    op: &AlterColumnOperation,
) -> Fallible<()> {
    let d = schema.dialect;
    let t = table_mut(schema, name)?;
    let is_pk = t
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.iter().any(|c| d.same_name(c, col)));
    let column = t
        .column_mut(col, d)
        .ok_or_else(|| format!("column `{col}` of `{name}` does not exist"))?;
    match op {
        AlterColumnOperation::SetNotNull => column.nullable = false,
        AlterColumnOperation::DropNotNull => {
            if is_pk || column.identity.is_some() {
                return Err(format!("column `{col}` is in a primary key or an identity"));
            }
            column.nullable = true;
        }
        AlterColumnOperation::SetDefault { value } => {
            column.default = create_table::default_expr(value, d);
        }
        AlterColumnOperation::DropDefault => column.default = None,
        // `USING` converts the rows: the column's type is all that stays.
        AlterColumnOperation::SetDataType {
            data_type,
            using: _,
            had_set: _,
        } => {
            let sql = data_type.to_string();
            column.ty = types::canonical_type(&sql, d)
                .ok_or_else(|| format!("unknown type `{sql}` for column `{col}`"))?;
            // A new type brings its own storage and the default compression.
            column.storage = None;
            column.compression = None;
            // The identity's sequence follows the column's type.
            if let Some(options) = &column.identity_options {
                let changes = super::options::SequenceChanges {
                    data_type: Some(column.ty.name.clone()),
                    ..Default::default()
                };
                column.identity_options = Some(changes.resolve(Some(options))?);
            }
        }
        AlterColumnOperation::AddGenerated {
            generated_as,
            sequence_options,
        } => {
            column.identity = Some(match generated_as {
                Some(ast::GeneratedAs::ByDefault) => Identity::ByDefault,
                Some(ast::GeneratedAs::Always) | None => Identity::Always,
                Some(ast::GeneratedAs::ExpStored) => {
                    return Err("ADD GENERATED … STORED is not an identity".into());
                }
            });
            let written = match sequence_options {
                Some(options) => super::options::sequence_options_ast(options, d)?,
                None => Default::default(),
            };
            column.identity_options = Some(create_table::identity_options(column, written)?);
            column.nullable = false;
        }
        other => return Err(format!("ALTER COLUMN action `{other}` is not modelled")),
    }
    if matches!(op, AlterColumnOperation::SetDataType { .. }) {
        for index in schema.indexes.iter_mut() {
            if index.table.same_as(name, schema.dialect) && index.reads(col) {
                index.forget_statistics();
            }
        }
    }
    Ok(())
}
