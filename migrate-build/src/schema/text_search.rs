//! PostgreSQL text search configurations and dictionaries, as the server
//! stores them (`pg_ts_config`, `pg_ts_config_map`, `pg_ts_dict`): data
//! the differ compares, not text. Names of the built-in objects keep
//! `pg_catalog` (searched first whatever `search_path` says); names in the
//! default schema are unqualified, as everywhere in the model.

use std::collections::BTreeMap;

use super::QualifiedName;

/// What a text search object holds besides its name and comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextSearch {
    Configuration {
        parser: QualifiedName,
        /// Token type (the parser's alias, `asciiword`) → the dictionaries
        /// tried in order. A token type without dictionaries is not mapped.
        mappings: BTreeMap<String, Vec<QualifiedName>>,
    },
    Dictionary {
        template: QualifiedName,
        /// Option name (folded, as the server keeps it) → its value as the
        /// server prints it in `dictinitoption`: a quoted string, or a
        /// number unquoted.
        options: BTreeMap<String, String>,
    },
}

/// The schema of the built-in text search objects.
pub const PG_CATALOG: &str = "pg_catalog";

/// The token types of the built-in parser `pg_catalog.default`, in its order.
pub const DEFAULT_PARSER_TOKENS: &[&str] = &[
    "asciiword",
    "word",
    "numword",
    "asciihword",
    "hword",
    "numhword",
    "hword_asciipart",
    "hword_part",
    "hword_numpart",
    "email",
    "protocol",
    "url",
    "host",
    "url_path",
    "file",
    "sfloat",
    "float",
    "int",
    "uint",
    "version",
    "tag",
    "entity",
    "blank",
];

/// The built-in configurations (besides `simple`): each maps the words of
/// its language to `<language>_stem`; `hindi` and `russian` map ASCII words
/// to `english_stem`.
pub const BUILT_IN_LANGUAGES: &[&str] = &[
    "arabic",
    "armenian",
    "basque",
    "catalan",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "hindi",
    "hungarian",
    "indonesian",
    "irish",
    "italian",
    "lithuanian",
    "nepali",
    "norwegian",
    "portuguese",
    "romanian",
    "russian",
    "serbian",
    "spanish",
    "swedish",
    "tamil",
    "turkish",
    "yiddish",
];

/// The built-in templates.
pub const BUILT_IN_TEMPLATES: &[&str] = &["simple", "synonym", "ispell", "thesaurus", "snowball"];

fn catalog(name: &str) -> QualifiedName {
    QualifiedName::with_schema(Some(PG_CATALOG.to_string()), name)
}

/// The built-in parser.
pub fn default_parser() -> QualifiedName {
    catalog("default")
}

/// Whether `name` (unqualified) is a built-in dictionary.
pub fn is_built_in_dictionary(name: &str) -> bool {
    name == "simple"
        || name
            .strip_suffix("_stem")
            .is_some_and(|l| BUILT_IN_LANGUAGES.contains(&l))
}

/// Whether `name` (unqualified) is a built-in configuration.
pub fn is_built_in_configuration(name: &str) -> bool {
    name == "simple" || BUILT_IN_LANGUAGES.contains(&name)
}

/// The parser and mappings of built-in configuration `name`, as
/// `CREATE TEXT SEARCH CONFIGURATION … (COPY = pg_catalog.name)` copies them.
pub fn built_in_configuration(name: &str) -> Option<TextSearch> {
    if !is_built_in_configuration(name) {
        return None;
    }
    let (words, ascii) = match name {
        "simple" => ("simple".to_string(), "simple".to_string()),
        "hindi" | "russian" => (format!("{name}_stem"), "english_stem".to_string()),
        _ => (format!("{name}_stem"), format!("{name}_stem")),
    };
    let mut mappings = BTreeMap::new();
    for token in ["word", "hword_part", "hword"] {
        mappings.insert(token.to_string(), vec![catalog(&words)]);
    }
    for token in ["asciiword", "hword_asciipart", "asciihword"] {
        mappings.insert(token.to_string(), vec![catalog(&ascii)]);
    }
    for token in [
        "numword",
        "email",
        "url",
        "host",
        "sfloat",
        "version",
        "hword_numpart",
        "numhword",
        "url_path",
        "file",
        "float",
        "int",
        "uint",
    ] {
        mappings.insert(token.to_string(), vec![catalog("simple")]);
    }
    Some(TextSearch::Configuration {
        parser: default_parser(),
        mappings,
    })
}

impl TextSearch {
    /// The dictionaries a configuration's mappings name, each once.
    pub fn dictionaries(&self) -> Vec<&QualifiedName> {
        let mut out: Vec<&QualifiedName> = Vec::new();
        if let TextSearch::Configuration { mappings, .. } = self {
            for name in mappings.values().flatten() {
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }

    /// Whether `next` can be reached from `self` with `ALTER`: the same
    /// kind, parser and template (neither can be altered).
    pub fn alterable_to(&self, next: &TextSearch) -> bool {
        match (self, next) {
            (
                TextSearch::Configuration { parser: a, .. },
                TextSearch::Configuration { parser: b, .. },
            ) => a == b,
            (
                TextSearch::Dictionary { template: a, .. },
                TextSearch::Dictionary { template: b, .. },
            ) => a == b,
            _ => false,
        }
    }
}
