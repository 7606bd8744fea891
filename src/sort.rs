//! One stable sort for the whole crate: a single merge sort over indexes, so the browser package
//! carries one small sort instead of the standard library's sort instantiated per element type
//! (docs/performance.md). The lists sorted are findings and pointers: a few dozen items at most.

use std::cmp::Ordering;

/// `v.sort_by(cmp)`: stable, same order.
pub(crate) fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = stable_order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    // `order[k]` is the index of the element that belongs at `k`; `pos[i]` is where the element
    // now at `i` belongs. Swap each element into place.
    let mut pos = vec![0; order.len()];
    for (k, &i) in order.iter().enumerate() {
        pos[i] = k;
    }
    for i in 0..v.len() {
        while pos[i] != i {
            let j = pos[i];
            v.swap(i, j);
            pos.swap(i, j);
        }
    }
}

/// The stable sorted order of `0..n` under `cmp` (bottom-up merge sort, O(n log n)).
fn stable_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    let mut b = a.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut l, mut r) = (start, mid);
            for slot in &mut b[start..end] {
                // The left run wins ties: stable.
                if l < mid && (r >= end || cmp(a[r], a[l]) != Ordering::Less) {
                    *slot = a[l];
                    l += 1;
                } else {
                    *slot = a[r];
                    r += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::stable_order;
    use std::cmp::Ordering;

    #[test]
    fn stable_order_is_std_stable_sort() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for n in 0..200usize {
            let keys: Vec<u64> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x % 7
                })
                .collect();
            let ours = stable_order(n, &|a, b| keys[a].cmp(&keys[b]));
            let mut std: Vec<usize> = (0..n).collect();
            std.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
            assert_eq!(ours, std, "n = {n}");
            let rev = stable_order(n, &|a, b| keys[b].cmp(&keys[a]).then(Ordering::Equal));
            std.sort_by(|&a, &b| keys[b].cmp(&keys[a]));
            assert_eq!(rev, std, "n = {n}, reversed");
        }
    }

    #[test]
    fn sort_by_moves_the_elements() {
        let mut v: Vec<(u8, &str)> = vec![(3, "a"), (1, "b"), (3, "c"), (0, "d"), (1, "e")];
        super::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, [(0, "d"), (1, "b"), (1, "e"), (3, "a"), (3, "c")]);
    }
}
