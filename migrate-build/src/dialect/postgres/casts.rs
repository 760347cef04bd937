//! Type changes PostgreSQL has no cast for, among its built-in types.
//!
//! `ALTER COLUMN … TYPE t USING c::t` fails at apply for these (`cannot cast
//! type bigint to timestamp without time zone`). Where one reading of the
//! values is the common one (integers as Unix seconds) the USING is written
//! that way; otherwise the user must write it, and is told so when the
//! migration is written.

use crate::plan::NoCast;
use crate::schema::ColumnType;

fn is_integer(name: &str) -> bool {
    matches!(name, "smallint" | "integer" | "bigint")
}

fn is_point_in_time(name: &str) -> bool {
    matches!(
        name,
        "timestamp without time zone" | "timestamp with time zone" | "date"
    )
}

fn is_number(name: &str) -> bool {
    is_integer(name) || matches!(name, "numeric" | "real" | "double precision")
}

/// `None` when a cast exists (or the change is between types this table
/// does not know: user-defined types, arrays, extensions' types).
pub(crate) fn missing_cast(from: &ColumnType, to: &ColumnType) -> Option<NoCast> {
    if from.user_defined || to.user_defined || from.array_dims != to.array_dims {
        return None;
    }
    let (f, t) = (from.name.as_str(), to.name.as_str());
    if f == t {
        return None;
    }
    if is_integer(f) && is_point_in_time(t) || is_point_in_time(f) && is_integer(t) {
        return Some(NoCast::EpochSeconds);
    }
    let no_cast = (f == "boolean" && is_number(t) && t != "integer")
        || (t == "boolean" && is_number(f) && f != "integer")
        || (is_number(f) && matches!(t, "interval" | "time without time zone" | "uuid"))
        || (matches!(f, "interval" | "time without time zone" | "uuid") && is_number(t))
        || (is_point_in_time(f) && matches!(t, "boolean" | "uuid"))
        || (matches!(f, "boolean" | "uuid") && is_point_in_time(t));
    no_cast.then_some(NoCast::ByHand)
}

/// The `USING` expression turning `column` (quoted) of type `from` into `to`.
pub(crate) fn using(column: &str, from: &ColumnType, to: &ColumnType, new_type: &str) -> String {
    match missing_cast(from, to) {
        Some(NoCast::EpochSeconds) if is_integer(&from.name) => match to.name.as_str() {
            "timestamp with time zone" => format!("to_timestamp({column})"),
            "timestamp without time zone" => format!("to_timestamp({column}) AT TIME ZONE 'UTC'"),
            _ => format!("(to_timestamp({column}) AT TIME ZONE 'UTC')::{new_type}"),
        },
        Some(NoCast::EpochSeconds) => match from.name.as_str() {
            // A timestamp without time zone is read as UTC, as it was written.
            "timestamp without time zone" => {
                format!("extract(epoch FROM {column} AT TIME ZONE 'UTC')::{new_type}")
            }
            _ => format!("extract(epoch FROM {column})::{new_type}"),
        },
        // Enum values convert to anything through their text.
        Some(NoCast::ByHand) | None if from.user_defined => {
            format!("{column}::text::{new_type}")
        }
        Some(NoCast::ByHand) | None => format!("{column}::{new_type}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(name: &str) -> ColumnType {
        ColumnType::simple(name)
    }

    #[test]
    fn integers_and_points_in_time_have_no_cast() {
        let ts = ty("timestamp without time zone");
        assert_eq!(missing_cast(&ty("bigint"), &ts), Some(NoCast::EpochSeconds));
        assert_eq!(
            missing_cast(&ts, &ty("integer")),
            Some(NoCast::EpochSeconds)
        );
        assert_eq!(
            missing_cast(&ty("bigint"), &ty("boolean")),
            Some(NoCast::ByHand)
        );
        // integer ↔ boolean has a cast; text reaches anything through I/O.
        assert_eq!(missing_cast(&ty("integer"), &ty("boolean")), None);
        assert_eq!(missing_cast(&ty("text"), &ts), None);
        assert_eq!(missing_cast(&ty("bigint"), &ty("text")), None);
        assert_eq!(
            using("\"at\"", &ty("bigint"), &ts, "timestamp"),
            "to_timestamp(\"at\") AT TIME ZONE 'UTC'"
        );
        assert_eq!(
            using("b", &ty("bigint"), &ty("boolean"), "boolean"),
            "b::boolean"
        );
    }
}
