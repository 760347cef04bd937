//! Database URLs: where one comes from, what it points at, and how to show it
//! without its password.

use std::path::{Path, PathBuf};

use migrate_build::Dialect;

/// Where the URL in use was found, in precedence order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlSource {
    Flag,
    Env,
    DotEnv,
    Config,
    /// No URL anywhere: SQLite's `dev.db` beside the manifest.
    Default,
    /// Handed to an application's embedded migrations (see [`crate::embedded`]).
    Application,
    /// A line of a `--databases` file.
    DatabasesFile,
}

impl std::fmt::Display for UrlSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UrlSource::Flag => "--database-url",
            UrlSource::Env => "DATABASE_URL",
            UrlSource::DotEnv => "DATABASE_URL in .env",
            UrlSource::Config => "database_url in the migrate config",
            UrlSource::Default => "default",
            UrlSource::Application => "the application",
            UrlSource::DatabasesFile => "--databases file",
        })
    }
}

#[derive(Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite {
        path: PathBuf,
    },
    /// Kept as given; the driver parses it.
    Postgres {
        url: String,
    },
}

/// Debug output holds no password either (`{:?}` ends up in logs and panics).
impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Sqlite { path } => f.debug_struct("Sqlite").field("path", path).finish(),
            Target::Postgres { url } => f
                .debug_struct("Postgres")
                .field(
                    "url",
                    &postgres_options(url)
                        .map_or_else(|_| scheme_only(url), |o| shown_postgres(&o)),
                )
                .finish(),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseUrl")
            .field("shown", &self.shown)
            .field("source", &self.source)
            .field("target", &self.target)
            .finish()
    }
}

/// A URL resolved for one workspace.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    /// As given (never print it: use [`DatabaseUrl::redacted`]).
    pub raw: String,
    pub source: UrlSource,
    pub target: Target,
    /// Rebuilt from the parsed parts, without the password.
    shown: String,
}

impl DatabaseUrl {
    /// The URL for messages: rebuilt from what the parser found (user, hosts,
    /// ports, database), never from the text, so no spelling of a password
    /// can survive into it.
    pub fn redacted(&self) -> String {
        self.shown.clone()
    }

    /// Whether someone asked for this database, as opposed to the fallback.
    pub fn is_explicit(&self) -> bool {
        self.source != UrlSource::Default
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UrlError {
    #[error(
        "the database URL from {from} ({shown}) is not a database URL: expected `sqlite:path`, `sqlite://relative/path`, `sqlite:///absolute/path`, `postgres://…` or `host=… dbname=…`{hint}"
    )]
    Unrecognised {
        /// What can be shown of it: its scheme, never the rest.
        shown: String,
        from: UrlSource,
        hint: String,
    },
    #[error("{shown}: {message}")]
    Postgres { shown: String, message: String },
    #[error(
        "`{shown}` ({from}) is a {found} URL but the workspace's dialect is {dialect}; set `dialect` in the migrate config or pass a {dialect} URL"
    )]
    WrongDialect {
        shown: String,
        from: UrlSource,
        found: Dialect,
        dialect: Dialect,
    },
    #[error(
        "no database URL for dialect {dialect}: pass --database-url, set DATABASE_URL (or put it in .env), or set database_url in the migrate config"
    )]
    Missing { dialect: Dialect },
    #[error("cannot read {}: {message}", path.display())]
    DotEnv { path: PathBuf, message: String },
}

/// The inputs of [`resolve`], gathered by the caller so that this stays pure.
pub struct UrlInputs<'a> {
    pub flag: Option<&'a str>,
    pub env: Option<String>,
    pub config: Option<&'a str>,
    /// The directory of the manifest that holds the config: `.env`, relative
    /// SQLite paths and the default `dev.db` are relative to it.
    pub base_dir: &'a Path,
    pub dialect: Dialect,
}

/// Picks the URL by precedence: `--database-url`, `DATABASE_URL`, `.env`
/// beside the manifest, the config's `database_url`, then SQLite's `dev.db`.
pub fn resolve(inputs: UrlInputs<'_>) -> Result<DatabaseUrl, UrlError> {
    let found = if let Some(flag) = inputs.flag {
        Some((flag.to_string(), UrlSource::Flag))
    } else if let Some(env) = inputs.env.filter(|v| !v.is_empty()) {
        Some((env, UrlSource::Env))
    } else if let Some(v) = dotenv_database_url(inputs.base_dir)? {
        Some((v, UrlSource::DotEnv))
    } else {
        inputs.config.map(|c| (c.to_string(), UrlSource::Config))
    };
    match found {
        Some((raw, source)) => parse(&raw, source, inputs.base_dir, inputs.dialect),
        None => match inputs.dialect {
            Dialect::Sqlite => Ok(DatabaseUrl {
                raw: "sqlite:dev.db".to_string(),
                source: UrlSource::Default,
                target: Target::Sqlite {
                    path: inputs.base_dir.join("dev.db"),
                },
                shown: "sqlite:dev.db".to_string(),
            }),
            Dialect::Postgres => Err(UrlError::Missing {
                dialect: inputs.dialect,
            }),
        },
    }
}

/// Reads only `DATABASE_URL` from `.env`, without touching the process
/// environment (other variables in the file are not ours to set). A line
/// that cannot be parsed is named by its number only: `.env` files hold
/// secrets, on that line or on others.
fn dotenv_database_url(dir: &Path) -> Result<Option<String>, UrlError> {
    let path = dir.join(".env");
    let error = |e: dotenvy::Error| {
        let message = match &e {
            dotenvy::Error::LineParse(line, _) => {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                match text.find(line.as_str()) {
                    Some(at) => format!(
                        "line {} cannot be parsed (not shown: it may hold a secret)",
                        text[..at].matches('\n').count() + 1
                    ),
                    None => "a line cannot be parsed (not shown: it may hold a secret)".to_string(),
                }
            }
            dotenvy::Error::Io(io) => io.to_string(),
            dotenvy::Error::EnvVar(_) => "a variable cannot be read".to_string(),
            _ => "cannot be parsed".to_string(),
        };
        UrlError::DotEnv {
            path: path.clone(),
            message,
        }
    };
    let iter = match dotenvy::from_path_iter(&path) {
        Ok(iter) => iter,
        Err(dotenvy::Error::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(error(e)),
    };
    for item in iter {
        let (key, value) = item.map_err(error)?;
        if key == "DATABASE_URL" {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// Parses `raw` for a workspace of `dialect`.
pub fn parse(
    raw: &str,
    source: UrlSource,
    base_dir: &Path,
    dialect: Dialect,
) -> Result<DatabaseUrl, UrlError> {
    let (found, target, shown) = if let Some(rest) = raw.strip_prefix("sqlite:") {
        // Query parameters (`?mode=rwc`, as sqlx writes them) do not name the file.
        let rest = rest.split_once('?').map_or(rest, |(p, _)| p);
        let path = if let Some(abs) = rest.strip_prefix("///") {
            PathBuf::from(format!("/{abs}"))
        } else if let Some(rel) = rest.strip_prefix("//") {
            base_dir.join(rel)
        } else {
            base_dir.join(rest)
        };
        if rest.trim_start_matches('/').is_empty() {
            return Err(unrecognised(raw, source));
        }
        // A SQLite URL is a file name: nothing in it is a secret.
        (
            Dialect::Sqlite,
            Target::Sqlite { path },
            format!("sqlite:{rest}"),
        )
    } else if is_postgres_url(raw) || is_key_value(raw) {
        let shown = if dialect == Dialect::Postgres {
            let options = postgres_options(raw).map_err(|e| match e {
                UrlError::Postgres { shown, message } => UrlError::Postgres {
                    shown: format!("{shown} ({source})"),
                    message,
                },
                other => other,
            })?;
            shown_postgres(&options)
        } else {
            // Not ours to connect to: show what can be shown without erroring on it.
            postgres_options(raw).map_or_else(|_| scheme_only(raw), |o| shown_postgres(&o))
        };
        (
            Dialect::Postgres,
            Target::Postgres {
                url: raw.to_string(),
            },
            shown,
        )
    } else {
        return Err(unrecognised(raw, source));
    };
    if found != dialect {
        return Err(UrlError::WrongDialect {
            shown,
            from: source,
            found,
            dialect,
        });
    }
    Ok(DatabaseUrl {
        raw: raw.to_string(),
        source,
        target,
        shown,
    })
}

fn is_postgres_url(raw: &str) -> bool {
    raw.starts_with("postgres://") || raw.starts_with("postgresql://")
}

/// A text that is no URL we know shows only its scheme: the rest may be a
/// password (`postgres:user:pw@host` is a mistyped URL, not a file name).
fn unrecognised(raw: &str, from: UrlSource) -> UrlError {
    let scheme = scheme_of(raw);
    let hint = match scheme {
        Some("postgres" | "postgresql") => {
            "\nhelp: a PostgreSQL URL starts with `postgres://` (two slashes)".to_string()
        }
        _ => String::new(),
    };
    UrlError::Unrecognised {
        shown: scheme_only(raw),
        from,
        hint,
    }
}

/// `scheme:` of a URL-looking text, when it has one.
fn scheme_of(raw: &str) -> Option<&str> {
    let (scheme, _) = raw.split_once(':')?;
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

fn scheme_only(raw: &str) -> String {
    match scheme_of(raw) {
        Some(scheme) if raw[scheme.len()..].starts_with("://") => format!("`{scheme}://…`"),
        Some(scheme) => format!("`{scheme}:…`"),
        None if is_key_value(raw) => "a key=value connection string".to_string(),
        None => "not shown".to_string(),
    }
}

/// Options for messages (another database of the same server, say),
/// password left out as in [`DatabaseUrl::redacted`].
pub fn redacted_options(options: &PgOptions) -> String {
    shown_postgres(options)
}

/// The PostgreSQL target as the driver parsed it, password left out.
fn shown_postgres(options: &PgOptions) -> String {
    use postgres::config::Host;
    let config = &options.config;
    let password = if config.get_password().is_some() {
        ":***"
    } else {
        ""
    };
    let ssl = match options.ssl_mode {
        SslMode::Prefer => String::new(),
        other => format!("sslmode={}", other.as_str()),
    };
    if options.key_value {
        let mut parts = Vec::new();
        let hosts: Vec<String> = config
            .get_hosts()
            .iter()
            .map(|h| match h {
                Host::Tcp(name) => name.clone(),
                Host::Unix(path) => path.display().to_string(),
            })
            .collect();
        if !hosts.is_empty() {
            parts.push(format!("host={}", quote_value(&hosts.join(","))));
        }
        let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
        if !ports.is_empty() {
            parts.push(format!("port={}", ports.join(",")));
        }
        if let Some(user) = config.get_user() {
            parts.push(format!("user={}", quote_value(user)));
        }
        if config.get_password().is_some() {
            parts.push("password=***".to_string());
        }
        if let Some(db) = config.get_dbname() {
            parts.push(format!("dbname={}", quote_value(db)));
        }
        if !ssl.is_empty() {
            parts.push(ssl);
        }
        return parts.join(" ");
    }
    let user = config
        .get_user()
        .map(|u| format!("{}{password}@", encode(u)))
        .unwrap_or_default();
    let ports = config.get_ports();
    let mut tcp = Vec::new();
    let mut sockets = Vec::new();
    for (i, host) in config.get_hosts().iter().enumerate() {
        let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
        match host {
            Host::Tcp(name) if name.contains(':') => tcp.push(format!("[{name}]:{port}")),
            Host::Tcp(name) => tcp.push(format!("{}:{port}", encode(name))),
            Host::Unix(path) => sockets.push(encode(&path.display().to_string())),
        }
    }
    let db = config.get_dbname().map(encode).unwrap_or_default();
    let mut query: Vec<String> = sockets.into_iter().map(|s| format!("host={s}")).collect();
    if !ssl.is_empty() {
        query.push(ssl);
    }
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    format!("postgres://{user}{}/{db}{query}", tcp.join(","))
}

fn quote_value(v: &str) -> String {
    if v.is_empty() || v.contains([' ', '\'', '\\']) {
        format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
    } else {
        v.to_string()
    }
}

/// Percent-encodes what would change how the URL reads back.
fn encode(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for c in part.chars() {
        match c {
            '%' | '@' | ':' | '/' | '?' | '#' | '&' | '=' | ',' | '[' | ']' | ' ' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

// ------------------------------------------------------------- PostgreSQL

/// libpq's `sslmode`. The `postgres` crate knows only disable/prefer/require,
/// so certificate checks are ours: see [`crate::db::postgres`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    /// Like libpq, tried as `prefer`: TLS when the server offers it.
    Allow,
    /// TLS when the server offers it, without checking its certificate (libpq's default).
    Prefer,
    /// TLS or nothing; the certificate is not checked (as libpq without a root certificate).
    Require,
    /// TLS, and the certificate chains to a trusted root.
    VerifyCa,
    /// TLS, a trusted chain, and the certificate names the host.
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Option<SslMode> {
        Some(match value {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// A PostgreSQL connection string taken apart: what the `postgres` crate
/// reads, and the TLS settings it does not.
#[derive(Debug, Clone)]
pub struct PgOptions {
    pub config: postgres::Config,
    pub ssl_mode: SslMode,
    /// `sslrootcert`: PEM file of the roots to trust (else the bundled web roots).
    pub root_cert: Option<PathBuf>,
    /// Given as `key=value` pairs rather than a URL (messages use the same form).
    pub key_value: bool,
}

/// Connection parameters the driver reads, and ours (TLS).
const SUPPORTED: &[&str] = &[
    "user",
    "password",
    "dbname",
    "options",
    "application_name",
    "sslmode",
    "sslnegotiation",
    "sslrootcert",
    "host",
    "hostaddr",
    "port",
    "connect_timeout",
    "tcp_user_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

/// libpq parameters that neither the driver nor cargo-migrate supports.
const UNSUPPORTED: &[&str] = &[
    "passfile",
    "service",
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcertmode",
    "sslcompression",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "gssencmode",
    "gsslib",
    "gssdelegation",
    "krbsrvname",
    "requirepeer",
    "require_auth",
    "replication",
    "client_encoding",
    "fallback_application_name",
];

/// Reads a libpq URL (`postgres://user:pw@host:port/db?sslmode=require&…`)
/// or key=value string (`host=db user=app sslmode=verify-full`) with the
/// driver's own parser. Only the TLS parameters the driver does not know are
/// taken out first, splitting the text exactly where the driver does (the
/// credentials end at the first `@`), so that both agree on what the password
/// is. Errors never quote the text: any part of it may be a password.
pub fn postgres_options(raw: &str) -> Result<PgOptions, UrlError> {
    let key_value = is_key_value(raw);
    let err = |message: String| UrlError::Postgres {
        shown: scheme_only(raw),
        message,
    };
    let mut ssl_mode = SslMode::Prefer;
    let mut root_cert = None;
    let mut take = |key: &str, value: &str| -> Result<bool, UrlError> {
        match key {
            "sslmode" => {
                ssl_mode = SslMode::parse(value).ok_or_else(|| {
                    err("unknown sslmode (expected disable, allow, prefer, require, verify-ca or verify-full)".to_string())
                })?;
                Ok(true)
            }
            "sslrootcert" => {
                root_cert = Some(PathBuf::from(value));
                Ok(true)
            }
            "sslcert" | "sslkey" | "sslpassword" => Err(err(format!(
                "`{key}`: client certificates are not supported"
            ))),
            _ => Ok(false),
        }
    };
    let rest = if key_value {
        let mut kept = Vec::new();
        for (key, value) in key_values(raw).map_err(err)? {
            if !take(&key, &value)? {
                kept.push(format!(
                    "{key}='{}'",
                    value.replace('\\', "\\\\").replace('\'', "\\'")
                ));
            }
        }
        kept.join(" ")
    } else {
        let (base, query) = split_query(raw);
        match query {
            Some(query) => {
                let mut kept = Vec::new();
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    if !take(&percent_decode(key), &percent_decode(value))? {
                        kept.push(pair);
                    }
                }
                if kept.is_empty() {
                    base.to_string()
                } else {
                    format!("{base}?{}", kept.join("&"))
                }
            }
            None => raw.to_string(),
        }
    };
    let mut config: postgres::Config = rest
        .parse()
        .map_err(|e: postgres::Error| err(driver_message(&e, key_value)))?;
    // The credentials end at the first `@`: a second one (an `@` in the
    // password, not percent-encoded) lands in the host name.
    let at_in_host = config.get_hosts().iter().any(|h| match h {
        postgres::config::Host::Tcp(name) => name.contains('@'),
        postgres::config::Host::Unix(path) => path.to_string_lossy().contains('@'),
    });
    if at_in_host {
        return Err(err(
            "the host name contains `@`: percent-encode `@` in the user name or password as `%40`"
                .to_string(),
        ));
    }
    config.ssl_mode(match ssl_mode {
        SslMode::Disable => postgres::config::SslMode::Disable,
        SslMode::Allow | SslMode::Prefer => postgres::config::SslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            postgres::config::SslMode::Require
        }
    });
    if config.get_application_name().is_none() {
        config.application_name("cargo-migrate");
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(10));
    }
    Ok(PgOptions {
        config,
        ssl_mode,
        root_cert,
        key_value,
    })
}

/// A URL's part before its query, and the query: where the driver's
/// `UrlParser` puts them (after the credentials, which end at the first `@`).
fn split_query(raw: &str) -> (&str, Option<&str>) {
    let after_scheme = raw.find("://").map_or(0, |i| i + 3);
    let after_credentials = raw[after_scheme..]
        .find('@')
        .map_or(after_scheme, |i| after_scheme + i + 1);
    match raw[after_credentials..].find('?') {
        Some(i) => {
            let q = after_credentials + i;
            (&raw[..q], Some(&raw[q + 1..]))
        }
        None => (raw, None),
    }
}

/// The driver's complaint, in words that quote nothing of the text but the
/// names of parameters it knows (or that are one typo away from one).
fn driver_message(e: &postgres::Error, key_value: bool) -> String {
    let text = std::error::Error::source(e).map_or_else(String::new, |c| c.to_string());
    let hint = if key_value {
        "; quote values with spaces or quotes in them: password='a b\\'c'"
    } else {
        "; percent-encode `@`, `:`, `/`, `?`, `#`, `&` and `%` in the user name and password (`@` is `%40`)"
    };
    if let Some(key) = text
        .split_once("unknown option `")
        .and_then(|(_, rest)| rest.rsplit_once('`'))
        .map(|(key, _)| key)
    {
        if UNSUPPORTED.contains(&key) {
            return format!("the connection parameter `{key}` is not supported");
        }
        return match SUPPORTED.iter().find(|k| edit_distance(k, key) <= 2) {
            Some(near) => format!("unknown connection parameter `{key}` (did you mean `{near}`?)"),
            None => format!(
                "unknown connection parameter (its name is not shown: it may be part of a password){hint}"
            ),
        };
    }
    if let Some(name) = text
        .split_once("invalid value for option `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(name, _)| name)
        .filter(|name| SUPPORTED.contains(name))
    {
        return format!("invalid value for `{name}`{hint}");
    }
    let what = if text.contains("unterminated quoted connection parameter value") {
        "a quoted value is not closed"
    } else if text.contains("unterminated parameter") {
        "a query parameter has no `=`"
    } else if text.contains("unexpected character") || text.contains("unexpected EOF") {
        "expected `key=value` pairs separated by spaces"
    } else if text.contains("utf-8") || text.contains("utf8") {
        "a percent-encoded part is not UTF-8"
    } else {
        "cannot be parsed"
    };
    format!("{what}{hint}")
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// `host=db dbname=app`: libpq's key=value form (a `key=` first).
fn is_key_value(raw: &str) -> bool {
    let raw = raw.trim_start();
    let key_end = raw
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(raw.len());
    key_end > 0 && raw[key_end..].trim_start().starts_with('=')
}

/// libpq's key=value syntax: spaces around `=` allowed, values in single
/// quotes with `\'` and `\\` escapes. Errors quote nothing of the text.
fn key_values(raw: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut chars = raw.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(format!(
                "expected `key=value` pairs separated by spaces (after parameter {}); quote values with spaces in them: password='a b'",
                out.len()
            ));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => match chars.next() {
                        Some(c) => value.push(c),
                        None => return Err("a quoted value is not closed".to_string()),
                    },
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => return Err("a quoted value is not closed".to_string()),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    if let Some(escaped) = chars.next() {
                        value.push(escaped);
                    }
                } else {
                    value.push(c);
                }
            }
        }
        out.push((key, value));
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(raw: &str) -> PathBuf {
        match parse(raw, UrlSource::Flag, Path::new("/ws"), Dialect::Sqlite)
            .unwrap()
            .target
        {
            Target::Sqlite { path } => path,
            Target::Postgres { .. } => panic!("not sqlite"),
        }
    }

    #[test]
    fn sqlite_url_forms() {
        assert_eq!(sqlite("sqlite:dev.db"), PathBuf::from("/ws/dev.db"));
        assert_eq!(sqlite("sqlite:data/x.db"), PathBuf::from("/ws/data/x.db"));
        assert_eq!(sqlite("sqlite://data/x.db"), PathBuf::from("/ws/data/x.db"));
        assert_eq!(sqlite("sqlite:///tmp/x.db"), PathBuf::from("/tmp/x.db"));
        assert_eq!(sqlite("sqlite:x.db?mode=rwc"), PathBuf::from("/ws/x.db"));
    }

    #[test]
    fn empty_sqlite_path_is_an_error() {
        assert!(
            parse(
                "sqlite://",
                UrlSource::Flag,
                Path::new("/"),
                Dialect::Sqlite
            )
            .is_err()
        );
    }

    #[test]
    fn postgres_url_with_sqlite_dialect_is_refused_without_password() {
        let err = parse(
            "postgres://app:hunter2@db/app",
            UrlSource::Env,
            Path::new("/ws"),
            Dialect::Sqlite,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, UrlError::WrongDialect { .. }), "{msg}");
        assert!(!msg.contains("hunter2"), "{msg}");
        assert!(msg.contains("postgres://app:***@db:5432/app"), "{msg}");
    }

    #[test]
    fn unknown_scheme_is_refused() {
        let err = parse(
            "mysql://u:pw@h/db",
            UrlSource::Flag,
            Path::new("/"),
            Dialect::Sqlite,
        )
        .unwrap_err();
        assert!(matches!(err, UrlError::Unrecognised { .. }));
        assert!(!err.to_string().contains("pw@"));
    }

    /// How a URL is shown once parsed.
    fn shown(raw: &str) -> String {
        let dialect = if raw.starts_with("sqlite:") {
            Dialect::Sqlite
        } else {
            Dialect::Postgres
        };
        parse(raw, UrlSource::Flag, Path::new("/ws"), dialect)
            .unwrap()
            .redacted()
    }

    #[test]
    fn shown_urls_are_rebuilt_without_the_password() {
        assert_eq!(
            shown("postgres://u:p%40ss@h:5432/db?sslmode=require"),
            "postgres://u:***@h:5432/db?sslmode=require"
        );
        assert_eq!(shown("postgres://u@h/db"), "postgres://u@h:5432/db");
        assert_eq!(
            shown("postgres://h/db?user=u&password=secret"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(shown("sqlite:dev.db"), "sqlite:dev.db");
        assert_eq!(
            shown("postgresql://a:b@h1:1,[::1]:2/d%2Fb"),
            "postgres://a:***@h1:1,[::1]:2/d%2Fb"
        );
        assert_eq!(
            shown("postgres://u:pw@/db?host=/run/postgresql"),
            "postgres://u:***@/db?host=%2Frun%2Fpostgresql"
        );
    }

    /// The driver's parser decides what the password is; every spelling of
    /// it that the text-based redaction missed.
    #[test]
    fn passwords_the_text_hides_in_are_never_shown() {
        for (raw, password) in [
            ("postgres://u:pa/ss@h/db", "pa/ss"),
            ("postgres://u:pa#ss@h/db", "pa#ss"),
            ("postgres://u:pa?ss@h/db?sslmode=disable", "pa?ss"),
            ("postgres://u:pa%2Fss@h/db", "pa/ss"),
            ("postgres://u@h/db?pass%77ord=hunter2", "hunter2"),
            ("host=h pass\\word=x password=hunter2", "hunter2"),
        ] {
            let Ok(url) = parse(raw, UrlSource::Flag, Path::new("/"), Dialect::Postgres) else {
                // Refused is fine as long as the error keeps it too.
                let e = parse(raw, UrlSource::Flag, Path::new("/"), Dialect::Postgres)
                    .unwrap_err()
                    .to_string();
                assert!(!e.contains(password) && !e.contains("ss@"), "{raw}: {e}");
                continue;
            };
            let options = postgres_options(raw).unwrap();
            assert_eq!(
                options.config.get_password(),
                Some(password.as_bytes()),
                "{raw}"
            );
            let shown = url.redacted();
            assert!(!shown.contains(password), "{raw}: {shown}");
            assert!(shown.contains("***"), "{raw}: {shown}");
        }
    }

    #[test]
    fn debug_output_holds_no_password() {
        let url = parse(
            "postgres://u:hunter2@h/db",
            UrlSource::Flag,
            Path::new("/"),
            Dialect::Postgres,
        )
        .unwrap();
        let debug = format!("{url:?} {:?}", url.target);
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("u:***@h"), "{debug}");
    }

    #[test]
    fn an_at_sign_in_the_password_is_refused_without_showing_it() {
        let e = parse(
            "postgres://u:a@b@h/db",
            UrlSource::Flag,
            Path::new("/"),
            Dialect::Postgres,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("%40"), "{e}");
        assert!(!e.contains("a@b") && !e.contains("b@h"), "{e}");
    }

    #[test]
    fn mistyped_schemes_show_only_the_scheme() {
        for raw in [
            "postgres:/u:hunter2@h/db",
            "postgres:u:hunter2@h/db",
            "postgresql:u:hunter2@h",
            "mysql://root:hunter2@localhost/app",
            "u:hunter2@h/db",
            "hunter2",
        ] {
            let e = parse(raw, UrlSource::Env, Path::new("/"), Dialect::Postgres)
                .unwrap_err()
                .to_string();
            assert!(!e.contains("hunter2"), "{raw}: {e}");
            assert!(e.contains("from DATABASE_URL"), "{e}");
            if raw.starts_with("postgres") {
                assert!(e.contains("starts with `postgres://`"), "{e}");
            }
        }
    }

    #[test]
    fn option_errors_name_known_parameters_only() {
        let e = |raw: &str| postgres_options(raw).unwrap_err().to_string();
        let typo = e("host=h sslmod=require");
        assert!(
            typo.contains("`sslmod` (did you mean `sslmode`?)"),
            "{typo}"
        );
        assert!(e("host=h passfile=/x").contains("`passfile` is not supported"));
        let hidden = e("host=h hunter2secret=1 password=pw");
        assert!(!hidden.contains("hunter2"), "{hidden}");
        assert!(hidden.contains("not shown"), "{hidden}");
        let unquoted = e("host=h password=hunter 2");
        assert!(!unquoted.contains("hunter"), "{unquoted}");
        let bad_port = e("postgres://u:pw@h:hunter2/db");
        assert!(bad_port.contains("invalid value for `port`"), "{bad_port}");
        assert!(!bad_port.contains("hunter2"), "{bad_port}");
    }

    #[test]
    fn precedence_flag_env_dotenv_config_default() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".env"),
            "OTHER=1\nDATABASE_URL=sqlite:from_dotenv.db\n",
        )
        .unwrap();
        let inputs = |flag, env: Option<&str>, config| UrlInputs {
            flag,
            env: env.map(str::to_string),
            config,
            base_dir: dir.path(),
            dialect: Dialect::Sqlite,
        };
        let r = |i| resolve(i).unwrap();
        assert_eq!(
            r(inputs(
                Some("sqlite:a.db"),
                Some("sqlite:b.db"),
                Some("sqlite:c.db")
            ))
            .source,
            UrlSource::Flag
        );
        assert_eq!(
            r(inputs(None, Some("sqlite:b.db"), Some("sqlite:c.db"))).source,
            UrlSource::Env
        );
        let dotenv = r(inputs(None, None, Some("sqlite:c.db")));
        assert_eq!(dotenv.source, UrlSource::DotEnv);
        assert_eq!(dotenv.raw, "sqlite:from_dotenv.db");
        // Reading .env must not set its other variables in the process.
        assert!(std::env::var_os("OTHER").is_none());
        std::fs::remove_file(dir.path().join(".env")).unwrap();
        assert_eq!(
            r(inputs(None, None, Some("sqlite:c.db"))).source,
            UrlSource::Config
        );
        let default = r(inputs(None, None, None));
        assert_eq!(default.source, UrlSource::Default);
        assert_eq!(
            default.target,
            Target::Sqlite {
                path: dir.path().join("dev.db")
            }
        );
    }

    fn pg(raw: &str) -> PgOptions {
        postgres_options(raw).unwrap()
    }

    #[test]
    fn libpq_urls_and_key_value_strings_are_postgres_targets() {
        for raw in [
            "postgres://u@h/db",
            "postgresql://u:pw@h:5433/db?sslmode=require",
            "host=localhost dbname=app user=me",
            "  dbname = 'my app'",
        ] {
            let url = parse(raw, UrlSource::Flag, Path::new("/"), Dialect::Postgres).unwrap();
            assert!(matches!(url.target, Target::Postgres { .. }), "{raw}");
        }
        assert!(parse("host=h", UrlSource::Flag, Path::new("/"), Dialect::Sqlite).is_err());
    }

    #[test]
    fn url_query_parameters_and_sslmode() {
        let o = pg(
            "postgres://app:s3cret@db.example:6543/shop?sslmode=verify-full&application_name=x&options=-c%20search_path%3Dapp",
        );
        assert_eq!(o.ssl_mode, SslMode::VerifyFull);
        assert_eq!(o.config.get_ssl_mode(), postgres::config::SslMode::Require);
        assert_eq!(o.config.get_user(), Some("app"));
        assert_eq!(o.config.get_password(), Some(&b"s3cret"[..]));
        assert_eq!(o.config.get_dbname(), Some("shop"));
        assert_eq!(o.config.get_ports(), &[6543]);
        assert_eq!(o.config.get_application_name(), Some("x"));
        assert_eq!(o.config.get_options(), Some("-c search_path=app"));
        let o = pg("postgres://h/db?sslmode=require&sslrootcert=%2Fetc%2Froot.pem");
        assert_eq!(o.ssl_mode, SslMode::Require);
        assert_eq!(o.root_cert, Some(PathBuf::from("/etc/root.pem")));
        let o = pg("postgres://h/db");
        assert_eq!(o.ssl_mode, SslMode::Prefer);
        assert_eq!(o.config.get_application_name(), Some("cargo-migrate"));
        assert_eq!(
            pg("postgres://h/db?sslmode=disable").config.get_ssl_mode(),
            postgres::config::SslMode::Disable
        );
    }

    #[test]
    fn key_value_strings() {
        let o = pg("host=db port=5433 dbname='my db' user=app password='it\\'s' sslmode=verify-ca");
        assert_eq!(o.ssl_mode, SslMode::VerifyCa);
        assert_eq!(o.config.get_dbname(), Some("my db"));
        assert_eq!(o.config.get_password(), Some(&b"it's"[..]));
        assert_eq!(o.config.get_ports(), &[5433]);
        assert_eq!(
            shown("host=db password='it\\'s' dbname='my db'"),
            "host=db password=*** dbname='my db'"
        );
        assert_eq!(shown("host=db password=hunter2"), "host=db password=***");
    }

    #[test]
    fn bad_postgres_options_name_the_url_without_password() {
        for raw in [
            "postgres://u:hunter2@h/db?sslmode=sometimes",
            "postgres://u:hunter2@h/db?sslcert=c.pem",
            "host=h password=hunter2 dbname='open",
            "postgres://u:hunter2@h/db?nonsense=1",
        ] {
            let err = postgres_options(raw).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
            assert!(
                err.starts_with("`postgres://…`") || err.starts_with("a key=value"),
                "{err}"
            );
        }
    }

    #[test]
    fn postgres_without_url_is_an_error() {
        let err = resolve(UrlInputs {
            flag: None,
            env: None,
            config: None,
            base_dir: Path::new("/nonexistent"),
            dialect: Dialect::Postgres,
        })
        .unwrap_err();
        assert!(matches!(err, UrlError::Missing { .. }));
    }
}
