//! Cursor pagination: rows are ordered by a time-ordered key and the cursor
//! is the last key returned, so pages stay stable while rows are added.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Validated page size, plus one extra row to learn whether more exist.
pub fn fetch_limit(requested: Option<u32>) -> AppResult<i64> {
    let limit = requested.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::validation(
            "limit",
            format!("must be 1 to {MAX_LIMIT}"),
        ));
    }
    Ok(i64::from(limit) + 1)
}

impl<T> Page<T> {
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        fetch_limit: i64,
        cursor_of: impl Fn(&R) -> String,
        view: impl FnMut(R) -> T,
    ) -> Page<T> {
        let page_size = (fetch_limit - 1) as usize;
        let next_cursor = if rows.len() > page_size {
            rows.truncate(page_size);
            rows.last().map(cursor_of)
        } else {
            None
        };
        Page {
            items: rows.into_iter().map(view).collect(),
            next_cursor,
        }
    }
}
