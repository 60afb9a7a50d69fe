//! Tables as spreadsheets and scripts read them, and the schemas that say what
//! a stage's table holds.
//!
//! CSV files are UTF-8 with a byte-order mark (without it Excel shows Chinese as
//! mojibake), RFC 4180 quoting with CRLF line ends, and one header row. A stage
//! declares each of its tables' columns once, with [`columns!`]: their
//! [`Schema`] and the struct that gathers the rows come from one list. A
//! table is checked against its schema when written and cast by it when read
//! back, so a stage's columns are named and typed in one place.

use std::io::Write;
use std::path::Path;

use polars::prelude::*;

use crate::error::{Error, Result};

/// The type of a column, as the CSV cell is read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Bool,
    I32,
    U32,
    U64,
    F64,
}

impl Ty {
    fn dtype(self) -> DataType {
        match self {
            Ty::Str => DataType::String,
            Ty::Bool => DataType::Boolean,
            Ty::I32 => DataType::Int32,
            Ty::U32 => DataType::UInt32,
            Ty::U64 => DataType::UInt64,
            Ty::F64 => DataType::Float64,
        }
    }
}

/// One column of a schema: its name and type.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
}

/// A column named `name` of type `ty`.
pub const fn field(name: &'static str, ty: Ty) -> Field {
    Field { name, ty }
}

/// The columns of a table, in order.
pub type Schema = [Field];

/// A value a table's cell holds, and the type its column is read back as:
/// what lets [`columns!`] derive a schema from Rust types.
pub trait Cell {
    const TY: Ty;
}

impl Cell for String {
    const TY: Ty = Ty::Str;
}
impl Cell for &str {
    const TY: Ty = Ty::Str;
}
impl Cell for std::borrow::Cow<'_, str> {
    const TY: Ty = Ty::Str;
}
impl Cell for bool {
    const TY: Ty = Ty::Bool;
}
impl Cell for i32 {
    const TY: Ty = Ty::I32;
}
impl Cell for u32 {
    const TY: Ty = Ty::U32;
}
impl Cell for u64 {
    const TY: Ty = Ty::U64;
}
impl Cell for f64 {
    const TY: Ty = Ty::F64;
}
/// An empty cell: a missing value of the column's type.
impl<T: Cell> Cell for Option<T> {
    const TY: Ty = T::TY;
}

/// The fields of `parts`, in order, as one schema of `N` columns: the
/// columns of a [`columns!`] declaration, each one field or the several a
/// later step makes of it. A wrong `N` stops the build.
pub const fn concat<const N: usize>(parts: &[&[Field]]) -> [Field; N] {
    let mut out = [field("", Ty::Str); N];
    let (mut i, mut n) = (0, 0);
    while i < parts.len() {
        let mut j = 0;
        while j < parts[i].len() {
            out[n] = parts[i][j];
            n += 1;
            j += 1;
        }
        i += 1;
    }
    assert!(n == N, "a schema's width is the sum of its parts");
    out
}

/// Declares a table's columns once, as `name: RustType`: the schema
/// constant (each column's [`Ty`] from its type, through [`Cell`]), and the
/// struct that gathers the rows, one `Vec` per column, whose `frame` makes
/// the DataFrame in the schema's order. Where the rows are gathered in
/// parts, `fn append;` after the struct adds `append`, which puts one
/// part's rows after another's.
///
/// A column written `period: i32 => PeriodFacts::OF_PERIOD` is gathered as
/// an `i32` and stands in the schema for the fields of the path, which a
/// later step makes of it (there, [`PeriodFacts::insert`]).
///
/// ```ignore
/// columns! {
///     /// The columns of `kwic.csv`.
///     pub const KWIC: &Schema;
///     struct Lines<'a> {
///         year: i32,
///         topic: &'a str,
///         why: &'static str,
///     }
/// }
/// ```
///
/// [`PeriodFacts::insert`]: crate::frequencies::PeriodFacts::insert
#[macro_export]
macro_rules! columns {
    (@fields $col:ident: $t:ty) => {
        &[$crate::table::field(stringify!($col), <$t as $crate::table::Cell>::TY)]
    };
    (@fields $col:ident: $t:ty => $fields:path) => {
        &$fields
    };
    (@width) => {
        1
    };
    (@width $fields:path) => {
        $fields.len()
    };
    (@append $name:ident $(<$lt:lifetime>)? {
        $( $(#[$doc:meta])* $col:ident: $t:ty $(=> $fields:path)? ),* $(,)?
    }) => {
        impl $(<$lt>)? $name $(<$lt>)? {
            /// Puts `other`'s rows after these.
            fn append(&mut self, other: Self) {
                $( self.$col.extend(other.$col); )*
            }
        }
    };
    (
        $(#[$sdoc:meta])*
        $svis:vis const $schema:ident: &Schema;
        $(#[$doc:meta])*
        $vis:vis struct $name:ident $(<$lt:lifetime>)? { $($body:tt)* }
        fn append;
    ) => {
        $crate::columns! {
            $(#[$sdoc])*
            $svis const $schema: &Schema;
            $(#[$doc])*
            $vis struct $name $(<$lt>)? { $($body)* }
        }
        $crate::columns!(@append $name $(<$lt>)? { $($body)* });
    };
    (
        $(#[$sdoc:meta])*
        $svis:vis const $schema:ident: &Schema;
        $(#[$doc:meta])*
        $vis:vis struct $name:ident $(<$lt:lifetime>)? {
            $( $(#[$cdoc:meta])* $col:ident: $t:ty $(=> $fields:path)? ),* $(,)?
        }
    ) => {
        $(#[$sdoc])*
        $svis const $schema: &$crate::table::Schema = &$name::SCHEMA;

        $(#[$doc])*
        #[derive(Default)]
        $vis struct $name $(<$lt>)? {
            $( $(#[$cdoc])* $vis $col: Vec<$t>, )*
        }

        impl $(<$lt>)? $name $(<$lt>)? {
            const SCHEMA: [$crate::table::Field; 0 $( + $crate::columns!(@width $($fields)?) )*] =
                $crate::table::concat(&[$( $crate::columns!(@fields $col: $t $(=> $fields)?) ),*]);

            /// The rows gathered, as a DataFrame with the columns in the
            /// order declared.
            $vis fn frame(self) -> $crate::error::Result<polars::prelude::DataFrame> {
                Ok(polars::prelude::DataFrame::new_infer_height(vec![
                    $( polars::prelude::Column::new(stringify!($col).into(), self.$col), )*
                ])?)
            }
        }
    };
}

/// Declares a table type: a DataFrame that has been checked against its
/// schema, so that a function taking it (a chart, the report) takes only that
/// table, never "a DataFrame with a `logodds_z` column".
#[macro_export]
macro_rules! typed_table {
    ($(#[$doc:meta])* $name:ident, $schema:expr, $file:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(polars::prelude::DataFrame);

        impl $name {
            /// The file it is written to under `tables/`.
            pub const FILE: &'static str = $file;

            /// The table, once its columns are those of its schema.
            pub fn new(df: polars::prelude::DataFrame) -> $crate::error::Result<Self> {
                $crate::table::conform(&df, $schema, $file)?;
                Ok(Self(df))
            }

            pub fn frame(&self) -> &polars::prelude::DataFrame {
                &self.0
            }

            /// The file name, table and schema, as the store writes them.
            pub fn entry(&self) -> (&'static str, &polars::prelude::DataFrame, &'static $crate::table::Schema) {
                ($file, &self.0, $schema)
            }
        }
    };
}

/// Checks that a table a stage built has exactly the columns of its schema, in
/// order and with their types: a stage that drifts from its documented table
/// fails here, in the tests, rather than in a later stage.
pub fn conform(df: &DataFrame, schema: &Schema, table: &str) -> Result<()> {
    let have: Vec<(String, DataType)> = df
        .columns()
        .iter()
        .map(|c| (c.name().to_string(), c.dtype().clone()))
        .collect();
    let want: Vec<(String, DataType)> = schema
        .iter()
        .map(|f| (f.name.to_string(), f.ty.dtype()))
        .collect();
    if have != want {
        return Err(Error::Table(format!(
            "{table}: columns {have:?} do not match the schema {want:?}"
        )));
    }
    Ok(())
}

/// Casts the all-text table read from `path` by its schema: every column must
/// be present; an empty cell of a number column is a missing value (a DP where
/// n = 0, a year without data).
pub fn cast(df: DataFrame, schema: &Schema, path: &Path) -> Result<DataFrame> {
    for f in schema {
        if df.column(f.name).is_err() {
            return Err(Error::input(
                path,
                Some(1),
                format!("no column '{}'", f.name),
            ));
        }
    }
    let exprs: Vec<Expr> = schema
        .iter()
        .map(|f| match f.ty {
            Ty::Str => col(f.name),
            Ty::Bool => col(f.name).eq(lit("true")).alias(f.name),
            ty => when(col(f.name).eq(lit("")))
                .then(lit(NULL))
                .otherwise(col(f.name))
                .strict_cast(ty.dtype())
                .alias(f.name),
        })
        .collect();
    df.lazy().select(exprs).collect().map_err(|e| {
        Error::input(
            path,
            None,
            format!("a column does not hold what it should: {e}"),
        )
    })
}

/// The data rows a spreadsheet opens: 1,048,576 rows, the header one of them.
pub const MAX_ROWS: usize = 1_048_575;

/// The largest cut `t ≤ top` under which groups of `sizes` rows, each cut to
/// its first `t`, and `fixed` rows that are never cut fit in [`MAX_ROWS`]
/// (0 where even the fixed rows do not). A table cut per group (a keyness
/// family, a unit of phrase_freq.csv) so keeps every group, each with its
/// strongest rows, instead of losing its last groups to a spreadsheet.
pub fn fit_top(sizes: &[usize], fixed: usize, top: usize) -> usize {
    let rows = |t: usize| fixed + sizes.iter().map(|&s| s.min(t)).sum::<usize>();
    let (mut lo, mut hi) = (0, top);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if rows(mid) <= MAX_ROWS {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// The warning of a table cut by [`fit_top`] below its configured `top`.
pub fn cut_warning(file: &str, top: usize, t: usize, setting: &str) -> String {
    format!(
        "{file}: cut to {t} rows a group instead of {setting} = {top}, so that it stays within the \
         {MAX_ROWS} rows a spreadsheet opens under its header"
    )
}

/// `left` joined with `right` on columns of the same names.
pub fn join(left: LazyFrame, right: LazyFrame, on: &[&str], how: JoinType) -> LazyFrame {
    let keys: Vec<Expr> = on.iter().map(|c| col(*c)).collect();
    left.join(right, keys.clone(), keys, JoinArgs::new(how))
}

/// A column viewed by its type, so that a cell is written without building an
/// `AnyValue` and a `String` for it (the cell-by-cell path dominated the
/// profile of large runs).
enum Cells<'a> {
    Str(&'a StringChunked),
    Bool(&'a BooleanChunked),
    F64(&'a Float64Chunked),
    I32(&'a Int32Chunked),
    U32(&'a UInt32Chunked),
    U64(&'a UInt64Chunked),
    Other(&'a Column),
}

impl<'a> Cells<'a> {
    fn of(c: &'a Column) -> Cells<'a> {
        match c.dtype() {
            DataType::String => c.str().map_or(Cells::Other(c), Cells::Str),
            DataType::Boolean => c.bool().map_or(Cells::Other(c), Cells::Bool),
            DataType::Float64 => c.f64().map_or(Cells::Other(c), Cells::F64),
            DataType::Int32 => c.i32().map_or(Cells::Other(c), Cells::I32),
            DataType::UInt32 => c.u32().map_or(Cells::Other(c), Cells::U32),
            DataType::UInt64 => c.u64().map_or(Cells::Other(c), Cells::U64),
            _ => Cells::Other(c),
        }
    }

    /// Writes cell `i` into `buf` (cleared first): empty for null, `true`/`false`,
    /// floats by [`format_float`], integers as Rust prints them.
    fn write(&self, i: usize, buf: &mut String) -> std::io::Result<()> {
        use std::fmt::Write as _;
        buf.clear();
        let r = match self {
            Cells::Str(a) => {
                buf.push_str(a.get(i).unwrap_or_default());
                Ok(())
            }
            Cells::Bool(a) => match a.get(i) {
                Some(b) => write!(buf, "{b}"),
                None => Ok(()),
            },
            Cells::F64(a) => {
                if let Some(f) = a.get(i) {
                    buf.push_str(&format_float(f));
                }
                Ok(())
            }
            Cells::I32(a) => a.get(i).map_or(Ok(()), |v| write!(buf, "{v}")),
            Cells::U32(a) => a.get(i).map_or(Ok(()), |v| write!(buf, "{v}")),
            Cells::U64(a) => a.get(i).map_or(Ok(()), |v| write!(buf, "{v}")),
            Cells::Other(c) => {
                let v = c.get(i).map_err(|e| std::io::Error::other(e.to_string()))?;
                match v {
                    AnyValue::Null => Ok(()),
                    AnyValue::Float32(f) => {
                        buf.push_str(&format_float(f64::from(f)));
                        Ok(())
                    }
                    other => write!(buf, "{other}"),
                }
            }
        };
        r.map_err(|e| std::io::Error::other(e.to_string()))
    }
}

/// Floats with up to 6 decimals and no trailing zeros: readable, and the same
/// bytes on every run. Magnitudes below 10⁻⁴ (small p and q values) keep six
/// significant digits in exponent notation, which spreadsheets read as numbers.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return String::new();
    }
    if f != 0.0 && f.abs() < 1e-4 {
        let s = format!("{f:.5e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let s = format!("{f:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Writes a DataFrame as CSV (see the module documentation for the format).
pub fn write_csv(df: &DataFrame, out: &mut dyn Write) -> std::io::Result<()> {
    // One chunk per column makes every cell lookup direct.
    let mut df = df.clone();
    df.rechunk_mut();
    let cells: Vec<Cells> = df.columns().iter().map(Cells::of).collect();
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(df.columns().iter().map(|c| c.name().as_str()))?;
    let mut buf = String::new();
    for i in 0..df.height() {
        for c in &cells {
            c.write(i, &mut buf)?;
            w.write_field(&buf)?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes a DataFrame as Parquet (built with the `parquet` feature only).
#[cfg(feature = "parquet")]
pub fn write_parquet(df: &DataFrame, out: &mut dyn Write) -> std::io::Result<()> {
    ParquetWriter::new(out)
        .finish(&mut df.clone())
        .map(|_| ())
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// Reads a CSV written by [`write_csv`] (or any UTF-8 CSV with a header) with
/// every column as text; a missing or malformed file is an error naming it.
pub fn read_csv(path: &Path) -> Result<DataFrame> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::Reader::from_reader(body);
    let headers = reader
        .headers()
        .map_err(|e| Error::input(path, Some(1), e.to_string()))?
        .clone();
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            Error::input(
                path,
                e.position().map(|p| p.line() as usize).or(Some(i + 2)),
                e.to_string(),
            )
        })?;
        for (c, value) in columns.iter_mut().zip(record.iter()) {
            c.push(value.to_string());
        }
    }
    let columns: Vec<Column> = headers
        .iter()
        .zip(columns)
        .map(|(name, values)| Column::new(name.into(), values))
        .collect();
    Ok(DataFrame::new_infer_height(columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked by hand: 10,000 groups of 200 rows and 48,575 fixed rows fit
    /// with 100 a group (1,000,000 + 48,575 = MAX_ROWS), not with 101; small
    /// groups count their own size; a table that fits keeps `top`.
    #[test]
    fn the_cut_is_the_largest_that_fits() {
        assert_eq!(fit_top(&[200; 10_000], 48_575, 500), 100);
        assert_eq!(fit_top(&[200; 10_000], 48_576, 500), 99);
        let mut sizes = vec![50; 10_000];
        sizes.extend([200; 10_000]);
        // 500,000 from the small groups, then 54 a large one (540,000).
        assert_eq!(fit_top(&sizes, 0, 500), 54);
        assert_eq!(fit_top(&[500; 3], 0, 500), 500);
        assert_eq!(fit_top(&[1], MAX_ROWS + 1, 500), 0);
    }

    #[test]
    fn floats_are_short_and_stable() {
        assert_eq!(format_float(1.5), "1.5");
        assert_eq!(format_float(2.0), "2");
        assert_eq!(format_float(-0.0), "0");
        assert_eq!(format_float(2.702665358725681e-06), "2.70267e-6");
        assert_eq!(format_float(-1.5e-10), "-1.5e-10");
        assert_eq!(format_float(0.1234567), "0.123457");
    }

    /// What a key column of [`Sample`] becomes in its schema.
    const KEYED: [Field; 2] = [field("key", Ty::I32), field("label", Ty::Str)];

    crate::columns! {
        /// Every kind of cell, and a column that stands for two fields.
        const SAMPLE: &Schema;
        struct Sample<'a> {
            owned: String,
            borrowed: &'a str,
            cow: std::borrow::Cow<'a, str>,
            flag: bool,
            small: i32,
            count: u32,
            big: u64,
            real: f64,
            maybe: Option<f64>,
            key: i32 => KEYED,
        }
        fn append;
    }

    /// A declaration's frame has its schema's columns, in order, with the
    /// types the schema says (a key column as it is gathered).
    #[test]
    fn columns_make_the_frame_their_schema_says() {
        let mut rows = Sample::default();
        let mut more = Sample::default();
        for (r, i) in [(&mut rows, 1), (&mut more, 2)] {
            r.owned.push(format!("row {i}"));
            r.borrowed.push("中国");
            r.cow.push(std::borrow::Cow::Borrowed("美国"));
            r.flag.push(i == 1);
            r.small.push(-i);
            r.count.push(i as u32);
            r.big.push(u64::MAX);
            r.real.push(0.5);
            r.maybe.push(None);
            r.key.push(2021);
        }
        rows.append(more);
        let df = rows.frame().unwrap();
        assert_eq!(df.height(), 2);
        let gathered: Vec<Field> = SAMPLE
            .iter()
            .filter(|f| f.name != "label")
            .copied()
            .collect();
        conform(&df, &gathered, "sample").unwrap();
        let names: Vec<&str> = SAMPLE.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "owned", "borrowed", "cow", "flag", "small", "count", "big", "real", "maybe",
                "key", "label"
            ]
        );
    }

    #[test]
    fn csv_has_bom_crlf_and_quotes() {
        let df = df!("a" => ["中国, \"美国\"", "x\ny"], "b" => [Some(1i32), None]).unwrap();
        let mut bytes = Vec::new();
        write_csv(&df, &mut bytes).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{feff}a,b\r\n\"中国, \"\"美国\"\"\",1\r\n\"x\ny\",\r\n"
        );
        let schema = [field("a", Ty::Str), field("b", Ty::I32)];
        conform(&df, &schema, "t").unwrap();
        assert!(conform(&df, &schema[..1], "t").is_err());
        let text = df!("a" => ["x"], "b" => [""]).unwrap();
        let back = cast(text, &schema, Path::new("t.csv")).unwrap();
        assert_eq!(back.column("b").unwrap().i32().unwrap().get(0), None);
    }
}
