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
}

impl std::fmt::Display for UrlSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UrlSource::Flag => "--database-url",
            UrlSource::Env => "DATABASE_URL",
            UrlSource::DotEnv => "DATABASE_URL in .env",
            UrlSource::Config => "database_url in the migrate config",
            UrlSource::Default => "default",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite {
        path: PathBuf,
    },
    /// Kept as given; the driver parses it.
    Postgres {
        url: String,
    },
}

/// A URL resolved for one workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    /// As given (never print it: use [`DatabaseUrl::redacted`]).
    pub raw: String,
    pub source: UrlSource,
    pub target: Target,
}

impl DatabaseUrl {
    pub fn redacted(&self) -> String {
        redact(&self.raw)
    }

    /// Whether someone asked for this database, as opposed to the fallback.
    pub fn is_explicit(&self) -> bool {
        self.source != UrlSource::Default
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UrlError {
    #[error(
        "`{url}` ({from}) is not a database URL: expected `sqlite:path`, `sqlite://relative/path`, `sqlite:///absolute/path`, `postgres://…` or `host=… dbname=…`"
    )]
    Unrecognised { url: String, from: UrlSource },
    #[error("`{url}`: {message}")]
    Postgres { url: String, message: String },
    #[error(
        "`{url}` ({from}) is a {found} URL but the workspace's dialect is {dialect}; set `dialect` in the migrate config or pass a {dialect} URL"
    )]
    WrongDialect {
        url: String,
        from: UrlSource,
        found: Dialect,
        dialect: Dialect,
    },
    #[error(
        "no database URL for dialect {dialect}: pass --database-url, set DATABASE_URL (or put it in .env), or set database_url in the migrate config"
    )]
    Missing { dialect: Dialect },
    #[error("cannot read {path}: {message}")]
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
            }),
            Dialect::Postgres => Err(UrlError::Missing {
                dialect: inputs.dialect,
            }),
        },
    }
}

/// Reads only `DATABASE_URL` from `.env`, without touching the process
/// environment (other variables in the file are not ours to set).
fn dotenv_database_url(dir: &Path) -> Result<Option<String>, UrlError> {
    let path = dir.join(".env");
    let iter = match dotenvy::from_path_iter(&path) {
        Ok(iter) => iter,
        Err(dotenvy::Error::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(UrlError::DotEnv {
                path,
                message: e.to_string(),
            });
        }
    };
    for item in iter {
        let (key, value) = item.map_err(|e| UrlError::DotEnv {
            path: path.clone(),
            message: e.to_string(),
        })?;
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
    let (found, target) = if let Some(rest) = raw.strip_prefix("sqlite:") {
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
            return Err(UrlError::Unrecognised {
                url: redact(raw),
                from: source,
            });
        }
        (Dialect::Sqlite, Target::Sqlite { path })
    } else if raw.starts_with("postgres://")
        || raw.starts_with("postgresql://")
        || is_key_value(raw)
    {
        (
            Dialect::Postgres,
            Target::Postgres {
                url: raw.to_string(),
            },
        )
    } else {
        return Err(UrlError::Unrecognised {
            url: redact(raw),
            from: source,
        });
    };
    if found != dialect {
        return Err(UrlError::WrongDialect {
            url: redact(raw),
            from: source,
            found,
            dialect,
        });
    }
    Ok(DatabaseUrl {
        raw: raw.to_string(),
        source,
        target,
    })
}

/// The URL with its password (in the authority or as a `password=` query
/// parameter) replaced by `***`. Every message that shows a URL goes through here.
pub fn redact(url: &str) -> String {
    if is_key_value(url) {
        return redact_key_value(url);
    }
    let mut out = match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let (authority, tail) = rest.split_at(authority_end);
            match authority.rsplit_once('@') {
                Some((userinfo, host)) => match userinfo.split_once(':') {
                    Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
                    None => url.to_string(),
                },
                None => url.to_string(),
            }
        }
        None => url.to_string(),
    };
    if let Some(q) = out.find('?') {
        let (head, query) = out.split_at(q + 1);
        let redacted: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => pair.to_string(),
            })
            .collect();
        out = format!("{head}{}", redacted.join("&"));
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
}

/// A PostgreSQL connection string taken apart: what the `postgres` crate
/// reads, and the TLS settings it does not.
#[derive(Debug, Clone)]
pub struct PgOptions {
    pub config: postgres::Config,
    pub ssl_mode: SslMode,
    /// `sslrootcert`: PEM file of the roots to trust (else the bundled web roots).
    pub root_cert: Option<PathBuf>,
}

/// Reads a libpq URL (`postgres://user:pw@host:port/db?sslmode=require&…`)
/// or key=value string (`host=db user=app sslmode=verify-full`).
pub fn postgres_options(raw: &str) -> Result<PgOptions, UrlError> {
    let err = |message: String| UrlError::Postgres {
        url: redact(raw),
        message,
    };
    let mut ssl_mode = SslMode::Prefer;
    let mut root_cert = None;
    let mut take = |key: &str, value: &str| -> Result<bool, UrlError> {
        match key {
            "sslmode" => {
                ssl_mode = SslMode::parse(value).ok_or_else(|| {
                    err(format!(
                        "unknown sslmode `{value}` (expected disable, allow, prefer, require, verify-ca or verify-full)"
                    ))
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
    let rest = if is_key_value(raw) {
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
        match raw.split_once('?') {
            Some((base, query)) => {
                let mut kept = Vec::new();
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    if !take(key, &percent_decode(value))? {
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
        .map_err(|e: postgres::Error| err(e.to_string()))?;
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
    })
}

/// `host=db dbname=app`: libpq's key=value form (a `key=` before any `://`).
fn is_key_value(raw: &str) -> bool {
    let raw = raw.trim_start();
    let key_end = raw
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(raw.len());
    key_end > 0 && raw[key_end..].trim_start().starts_with('=') && !raw.contains("://")
}

/// libpq's key=value syntax: spaces around `=` allowed, values in single
/// quotes with `\'` and `\\` escapes.
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
            return Err(format!("expected `=` after `{key}`"));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => match chars.next() {
                        Some(c) => value.push(c),
                        None => return Err(format!("unterminated quoted value of `{key}`")),
                    },
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => return Err(format!("unterminated quoted value of `{key}`")),
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

fn redact_key_value(raw: &str) -> String {
    match key_values(raw) {
        Ok(pairs) => pairs
            .into_iter()
            .map(|(k, v)| {
                if k == "password" {
                    format!("{k}=***")
                } else if v.is_empty() || v.contains([' ', '\'', '\\']) {
                    format!("{k}='{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
                } else {
                    format!("{k}={v}")
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        // Unparseable: nothing of it can be shown safely.
        Err(_) => "<unparseable connection string>".to_string(),
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
        assert!(msg.contains("postgres://app:***@db/app"), "{msg}");
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

    #[test]
    fn redact_hides_passwords_only() {
        assert_eq!(
            redact("postgres://u:p%40ss@h:5432/db?sslmode=require"),
            "postgres://u:***@h:5432/db?sslmode=require"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact("postgres://h/db?user=u&password=secret"),
            "postgres://h/db?user=u&password=***"
        );
        assert_eq!(redact("sqlite:dev.db"), "sqlite:dev.db");
        // An `@` in the password must not leak its tail.
        assert_eq!(redact("postgres://u:a@b@h/db"), "postgres://u:***@h/db");
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
            redact("host=db password='it\\'s' dbname='my db'"),
            "host=db password=*** dbname='my db'"
        );
        assert_eq!(redact("host=db password=hunter2"), "host=db password=***");
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
            assert!(err.starts_with('`'), "{err}");
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
