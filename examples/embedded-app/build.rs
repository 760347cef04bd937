use std::path::PathBuf;

fn main() {
    // SQLite: this package's own migrate config. The check fails the build
    // when the migrations are behind schema.sql; once it passes, the
    // migrations and the typed schema are written into OUT_DIR.
    migrate_build::Check::new()
        .embed_migrations()
        .typed_schema()
        .emit();
    // PostgreSQL: the config in postgres/Cargo.toml, the same schema.sql.
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    migrate_build::Check::new()
        .manifest_dir("postgres")
        .embed_migrations()
        .out_dir(out_dir.join("postgres"))
        .emit();
}
