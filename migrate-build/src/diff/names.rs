//! Name lookups by hash. `Schema`'s lookups scan their lists, which is right
//! for one look but quadratic in the differ's loops over every object.

use std::collections::HashMap;

use crate::dialect::Dialect;
use crate::schema::{Index, QualifiedName, Schema, Table, View};

/// What `same_as` compares: two names are the same iff their keys are equal.
pub(super) type NameKey = (Option<String>, String);

pub(super) fn name_key(d: Dialect, name: &QualifiedName) -> NameKey {
    (
        name.schema.as_deref().map(|s| d.name_key(s).into_owned()),
        d.name_key(&name.name).into_owned(),
    )
}

/// One schema's tables, indexes and views by name. The first object of a
/// name wins, as in `Schema::table`.
pub(super) struct Names<'a> {
    schema: &'a Schema,
    tables: HashMap<NameKey, usize>,
    indexes: HashMap<NameKey, usize>,
    views: HashMap<NameKey, usize>,
}

impl<'a> Names<'a> {
    pub fn new(schema: &'a Schema) -> Self {
        let d = schema.dialect;
        fn positions<'n>(
            d: Dialect,
            names: impl Iterator<Item = &'n QualifiedName>,
        ) -> HashMap<NameKey, usize> {
            let mut map = HashMap::new();
            for (i, name) in names.enumerate() {
                map.entry(name_key(d, name)).or_insert(i);
            }
            map
        }
        Names {
            schema,
            tables: positions(d, schema.tables.iter().map(|t| &t.name)),
            indexes: positions(d, schema.indexes.iter().map(|i| &i.name)),
            views: positions(d, schema.views.iter().map(|v| &v.name)),
        }
    }

    fn key(&self, name: &QualifiedName) -> NameKey {
        name_key(self.schema.dialect, name)
    }

    pub fn table(&self, name: &QualifiedName) -> Option<&'a Table> {
        let schema = self.schema;
        self.tables.get(&self.key(name)).map(|i| &schema.tables[*i])
    }

    pub fn index(&self, name: &QualifiedName) -> Option<&'a Index> {
        let schema = self.schema;
        self.indexes
            .get(&self.key(name))
            .map(|i| &schema.indexes[*i])
    }

    pub fn view(&self, name: &QualifiedName) -> Option<&'a View> {
        let schema = self.schema;
        self.views.get(&self.key(name)).map(|i| &schema.views[*i])
    }
}
