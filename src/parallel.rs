//! Work split over the cores with results kept in input order, so that a table
//! or a set of files is the same whatever the number of threads.

use crate::error::{Error, Result};

/// Splits `items` into one contiguous piece per core, runs `f` on each piece
/// in its own thread, and returns the results in the pieces' order. `what`
/// names the work in the error a panicking thread turns into.
pub fn in_order<T: Sync, R: Send>(
    items: &[T],
    what: &str,
    f: impl Fn(&[T]) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || f(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| Error::Table(format!("a {what} thread panicked")))?
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u32> = (0..101).collect();
        let parts = in_order(&items, "test", |p| Ok(p.to_vec())).unwrap();
        assert_eq!(parts.concat(), items);
        assert!(in_order(&[] as &[u32], "test", |p| Ok(p.len()))
            .unwrap()
            .is_empty());
        assert!(in_order(&items, "test", |_| -> Result<()> {
            Err(Error::Usage("x".into()))
        })
        .is_err());
    }
}
