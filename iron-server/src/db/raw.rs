//! Hand-written SQL for the reporting queries (dynamic filters, GROUP BY
//! over computed buckets) that the typed DSL expresses poorly. The text uses
//! `?` placeholders and only portable SQL; PostgreSQL gets them renumbered.

use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::sqlite::Sqlite;
use diesel_async::RunQueryDsl;

use crate::db::Conn;
use crate::error::AppResult;

enum Bind {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
}

/// SQL text plus its bind values, in placeholder order.
#[derive(Default)]
pub struct RawQuery {
    sql: String,
    binds: Vec<Bind>,
}

impl RawQuery {
    pub fn new(sql: &str) -> RawQuery {
        RawQuery {
            sql: sql.to_owned(),
            binds: Vec::new(),
        }
    }

    /// Appends SQL text; every `?` in it must be followed by a matching bind.
    pub fn sql(&mut self, text: &str) -> &mut Self {
        self.sql.push_str(text);
        self
    }

    pub fn text(&mut self, value: impl Into<String>) -> &mut Self {
        self.binds.push(Bind::Text(value.into()));
        self
    }

    pub fn opt_text(&mut self, value: Option<String>) -> &mut Self {
        self.binds.push(Bind::OptText(value));
        self
    }

    pub fn opt_int(&mut self, value: Option<i64>) -> &mut Self {
        self.binds.push(Bind::OptInt(value));
        self
    }

    pub fn int(&mut self, value: i64) -> &mut Self {
        self.binds.push(Bind::Int(value));
        self
    }

    fn postgres_sql(&self) -> String {
        let mut out = String::with_capacity(self.sql.len() + 16);
        let mut n = 0;
        for ch in self.sql.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        out
    }
}

macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                Bind::Text(value) => query.bind::<Text, _>(value),
                Bind::OptText(value) => query.bind::<Nullable<Text>, _>(value),
                Bind::Int(value) => query.bind::<BigInt, _>(value),
                Bind::OptInt(value) => query.bind::<Nullable<BigInt>, _>(value),
            };
        }
        query
    }};
}

/// Runs `query` and maps each row by column name.
pub async fn load<U>(conn: &mut Conn, query: RawQuery) -> AppResult<Vec<U>>
where
    U: diesel::QueryableByName<Pg> + diesel::QueryableByName<Sqlite> + Send + 'static,
{
    Ok(match conn {
        Conn::Postgres(c) => {
            let sql = query.postgres_sql();
            let boxed: BoxedSqlQuery<'static, Pg, SqlQuery> =
                bind_all!(diesel::sql_query(sql).into_boxed(), query.binds);
            boxed.load(&mut **c).await?
        }
        Conn::Sqlite(c) => {
            let boxed: BoxedSqlQuery<'static, Sqlite, SqlQuery> =
                bind_all!(diesel::sql_query(query.sql).into_boxed(), query.binds);
            boxed.load(&mut **c).await?
        }
    })
}

/// Runs a statement; returns the number of rows it changed.
pub async fn execute(conn: &mut Conn, query: RawQuery) -> AppResult<usize> {
    Ok(match conn {
        Conn::Postgres(c) => {
            let sql = query.postgres_sql();
            let boxed: BoxedSqlQuery<'static, Pg, SqlQuery> =
                bind_all!(diesel::sql_query(sql).into_boxed(), query.binds);
            boxed.execute(&mut **c).await?
        }
        Conn::Sqlite(c) => {
            let boxed: BoxedSqlQuery<'static, Sqlite, SqlQuery> =
                bind_all!(diesel::sql_query(query.sql).into_boxed(), query.binds);
            boxed.execute(&mut **c).await?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        let mut q = RawQuery::new("SELECT ? WHERE a = ?");
        q.int(1).text("x");
        assert_eq!(q.postgres_sql(), "SELECT $1 WHERE a = $2");
    }
}
