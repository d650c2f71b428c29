//! The one way the pipeline spreads independent work over the cores.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Applies `f` to every item on every core and returns the results in the order of `items`, so
/// the output never depends on scheduling. Threads take the next item as they finish one, since
/// item costs vary a hundredfold (pages, generated files). A panic in `f` is resumed here.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { return done };
                        done.push((i, f(item)));
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let mut indexed: Vec<(usize, R)> = parts.into_iter().flatten().collect();
    indexed.sort_unstable_by_key(|(i, _)| *i);
    indexed.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven costs, so threads finish out of order.
        let out = super::map(&items, |n| (0..(n % 7) * 1000).fold(*n, |a, _| a.wrapping_add(0)));
        assert_eq!(out, items);
        assert!(super::map(&Vec::<u8>::new(), |x| *x).is_empty());
    }
}
