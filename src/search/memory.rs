//! Memory for a query's large buffers. A query matching most of the index fills tens of
//! megabytes (的 on four copies of the bench: 17.5 MB of matches in brief, 6 MB of keys to
//! count; 47 MB had they been kept whole), and
//! taking fresh memory one 4 KiB page fault at a time cost a third of such a query on this
//! kind of machine (about 5 µs a fault in a virtual machine). So buffers are mapped ahead in
//! one call each (Linux's `MADV_POPULATE_WRITE`; elsewhere, or on an older kernel, pages
//! fault as before), and what a buffer holds past its first megabytes is backed by huge
//! pages where the system gives them on request.

/// A huge page's bytes; a buffer's memory past this many bytes asks for huge pages. The
/// kernel zeroes a huge page whole when it is first mapped, 2 MiB at once: a buffer that
/// stays smaller (most queries' matches) would pay for memory it never holds, which took
/// a tenth of a query of 11,000 matches.
const HUGE: usize = 2 << 20;

/// `n` zeroed items, their memory mapped in one call rather than a fault per page as they
/// are written.
pub fn zeroed<T: Clone + Default>(n: usize) -> Vec<T> {
    let mut items = Vec::with_capacity(n);
    map_ahead(&mut items, n);
    items.resize(n, T::default());
    items
}

/// Maps the memory of the vector's next `n` items (no further than its capacity) in one
/// call, where the system can: the vector is about to be written that far. The whole huge
/// pages of that memory lying past the vector's first [`HUGE`] bytes are asked for first.
pub fn map_ahead<T>(items: &mut Vec<T>, n: usize) {
    let n = n.min(items.capacity() - items.len());
    let size = std::mem::size_of::<T>();
    if n == 0 || size == 0 {
        return;
    }
    let start = items.spare_capacity_mut().as_ptr() as usize;
    let end = start + n * size;
    let huge_from = (items.as_ptr() as usize + HUGE)
        .max(start)
        .next_multiple_of(HUGE);
    let huge_end = end / HUGE * HUGE;
    if huge_end > huge_from {
        advise(huge_from, huge_end - huge_from, Advice::HugePages);
    }
    advise(start, n * size, Advice::Populate);
}

enum Advice {
    HugePages,
    Populate,
}

/// Advice on how `len` bytes from `start`, all within one allocation, are to be backed. It
/// changes how pages are mapped, never what they hold; a kernel without it refuses, and the
/// pages fault in as they would have.
#[cfg(target_os = "linux")]
fn advise(start: usize, len: usize, advice: Advice) {
    const PAGE: usize = 4096;
    // The pages holding the range: the first may hold the allocation's start, whose page
    // is mapped already, and population only maps what is not.
    let first = start / PAGE * PAGE;
    let end = (start + len).next_multiple_of(PAGE);
    let advice = match advice {
        Advice::HugePages => libc::MADV_HUGEPAGE,
        Advice::Populate => libc::MADV_POPULATE_WRITE,
    };
    // SAFETY: the pages lie within (or share a page with) a live allocation of this process;
    // neither advice changes the contents of memory.
    unsafe {
        libc::madvise(first as *mut libc::c_void, end - first, advice);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_start: usize, _len: usize, _advice: Advice) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_memory_holds_what_is_written() {
        let mut items: Vec<u64> = Vec::with_capacity(3 << 20);
        map_ahead(&mut items, 1 << 20);
        items.extend(0..(3 << 20));
        assert_eq!(
            items.iter().sum::<u64>(),
            (3u64 << 20) * ((3 << 20) - 1) / 2
        );
        let mut zeros = zeroed(1 << 20);
        assert!(zeros.iter().all(|&z| z == 0));
        zeros[12345] = 7;
        assert_eq!(zeros.iter().sum::<u64>(), 7);
        // Past the capacity nothing is asked for.
        let mut small: Vec<u8> = Vec::with_capacity(10);
        map_ahead(&mut small, 1 << 30);
        small.extend([1; 10]);
        assert_eq!(small.len(), 10);
    }
}
