//! The memory compiled code lives in: whole pages carved from a few large
//! mappings and reused, so a compile costs one `mprotect` rather than an
//! `mmap`, an `mprotect`, an `munmap` and fresh-page faults.
//!
//! Terms:
//! - A **chunk** is one anonymous mapping of [`CHUNK_PAGES`] pages.
//! - Each page of a chunk is **free** (read+write, holds nothing live),
//!   **live** (read+execute, part of a [`CodePages`] in use) or **dead**
//!   (read+execute, its code was dropped). Dead pages turn free in batches,
//!   when an allocation finds no free run: one `mprotect` per run of dead
//!   pages, not one per drop. Pages that turn executable one after another
//!   are neighbours, so the kernel merges them into one mapping region
//!   instead of splitting a region per compile.
//! - Code larger than a chunk gets a chunk of its own, unmapped on drop.
//!
//! Invariants:
//! - W^X: code is written only into free pages, which are read+write and not
//!   executable; [`CodeArena::finish`] makes them read+execute before any
//!   entry is handed out, and a page is made writable again only after the
//!   code on it was dropped. No page is ever writable and executable at once.
//! - A page belongs to at most one live [`CodePages`].
//! - The arena is one process-wide `Mutex`: it is taken only to compile and
//!   to drop code, never on a call.

use std::io;
use std::ptr::NonNull;
use std::sync::{Mutex, OnceLock};

/// Pages per chunk: 256 KiB with 4 KiB pages.
const CHUNK_PAGES: usize = 64;

/// Pages of executable code handed out by the arena; returns them on drop.
#[derive(Debug)]
pub(crate) struct CodePages {
    arena: &'static Mutex<CodeArena>,
    ptr: NonNull<u8>,
    len: usize,
    chunk: usize,
    first_page: usize,
    pages: usize,
}

// SAFETY: the pages are read-only (executable) while a `CodePages` exists;
// the arena's bookkeeping is behind its mutex.
unsafe impl Send for CodePages {}
// SAFETY: as above; `&CodePages` only reads immutable bytes.
unsafe impl Sync for CodePages {}

impl CodePages {
    /// Copies `bytes` into free pages and makes them executable.
    pub(crate) fn new(bytes: &[u8]) -> io::Result<CodePages> {
        Self::new_in(arena(), bytes)
    }

    fn new_in(arena: &'static Mutex<CodeArena>, bytes: &[u8]) -> io::Result<CodePages> {
        let (ptr, place) = lock(arena).place(bytes)?;
        Ok(CodePages {
            arena,
            ptr,
            len: bytes.len(),
            chunk: place.chunk,
            first_page: place.first_page,
            pages: place.pages,
        })
    }

    /// The start of the code.
    pub(crate) fn ptr(&self) -> *const u8 {
        self.ptr.as_ptr()
    }

    /// The code's bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: `len` bytes from `ptr` were written by `place` and stay
        // mapped, readable and unchanged until `self` is dropped.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for CodePages {
    fn drop(&mut self) {
        lock(self.arena).release(self.chunk, self.first_page, self.pages);
    }
}

fn lock(arena: &Mutex<CodeArena>) -> std::sync::MutexGuard<'_, CodeArena> {
    // The bookkeeping is updated in one step after each system call, so a
    // panic cannot leave it half-changed.
    arena.lock().unwrap_or_else(|e| e.into_inner())
}

/// Where a [`CodePages`] lives.
struct Place {
    chunk: usize,
    first_page: usize,
    pages: usize,
}

#[derive(Debug)]
pub(crate) struct CodeArena {
    page_size: usize,
    /// Chunks by id; `None` once unmapped (a [`CodePages`] names its chunk
    /// by id, and an unmapped chunk has no live pages left to name it).
    chunks: Vec<Option<Chunk>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum PageState {
    Free,
    Live,
    Dead,
}

#[derive(Debug)]
struct Chunk {
    base: NonNull<u8>,
    pages: Vec<PageState>,
    /// Where the next search for free pages starts: allocating in address
    /// order keeps executable pages adjacent.
    cursor: usize,
}

// SAFETY: a chunk is only touched under the arena's mutex.
unsafe impl Send for Chunk {}

/// The process's arena.
fn arena() -> &'static Mutex<CodeArena> {
    static ARENA: OnceLock<Mutex<CodeArena>> = OnceLock::new();
    ARENA.get_or_init(|| Mutex::new(CodeArena::new()))
}

impl CodeArena {
    fn new() -> CodeArena {
        // SAFETY: sysconf has no preconditions.
        let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        CodeArena {
            page_size: usize::try_from(size)
                .ok()
                .filter(|&s| s > 0)
                .unwrap_or(4096),
            chunks: Vec::new(),
        }
    }

    /// Copies `bytes` into free pages, makes them executable and returns
    /// their start.
    fn place(&mut self, bytes: &[u8]) -> io::Result<(NonNull<u8>, Place)> {
        let pages = bytes.len().max(1).div_ceil(self.page_size);
        let (chunk, first_page) = self.allocate(pages)?;
        let c = self.chunks[chunk]
            .as_mut()
            .expect("allocated in a mapped chunk");
        // SAFETY: the pages are free: mapped read+write, inside the chunk,
        // and owned by no one else.
        let start = unsafe { c.base.as_ptr().add(first_page * self.page_size) };
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), start, bytes.len()) };
        // A no-op except on AArch64 hosts, where it cleans the data cache and
        // invalidates the instruction cache over the new code.
        // SAFETY: the bytes were just written and are mapped.
        dynasmrt::cache_control::synchronize_icache(unsafe {
            std::slice::from_raw_parts(start, bytes.len())
        });
        let protected = protect(
            start,
            pages * self.page_size,
            libc::PROT_READ | libc::PROT_EXEC,
        );
        if let Err(e) = protected {
            c.pages[first_page..first_page + pages].fill(PageState::Free);
            return Err(e);
        }
        // A no-op except on AArch64 hosts (`isb`): drop prefetched instructions.
        // SAFETY: as above, now read+execute.
        dynasmrt::cache_control::prepare_for_execution(unsafe {
            std::slice::from_raw_parts(start, bytes.len())
        });
        let place = Place {
            chunk,
            first_page,
            pages,
        };
        Ok((NonNull::new(start).expect("inside a mapping"), place))
    }

    /// Finds `pages` free pages and marks them live: in the chunk's free
    /// pages, else after turning its dead pages free, else in a new chunk.
    fn allocate(&mut self, pages: usize) -> io::Result<(usize, usize)> {
        if pages <= CHUNK_PAGES {
            for id in (0..self.chunks.len()).rev() {
                let page_size = self.page_size;
                let Some(chunk) = self.chunks[id].as_mut() else {
                    continue;
                };
                if chunk.pages.len() != CHUNK_PAGES {
                    continue;
                }
                let found = match chunk.find_free(pages) {
                    Some(at) => Some(at),
                    None if chunk.pages.contains(&PageState::Dead) => {
                        chunk.reclaim(page_size)?;
                        chunk.find_free(pages)
                    }
                    None => None,
                };
                if let Some(at) = found {
                    chunk.take(at, pages);
                    return Ok((id, at));
                }
            }
        }
        let chunk = Chunk::map(pages.max(CHUNK_PAGES), self.page_size)?;
        let id = match self.chunks.iter().position(Option::is_none) {
            Some(id) => id,
            None => {
                self.chunks.push(None);
                self.chunks.len() - 1
            }
        };
        let chunk = self.chunks[id].insert(chunk);
        chunk.take(0, pages);
        Ok((id, 0))
    }

    /// Marks dropped code's pages dead; unmaps its chunk if that left it
    /// unused and it is not the one the next compile would use.
    fn release(&mut self, id: usize, first_page: usize, pages: usize) {
        let page_size = self.page_size;
        let Some(chunk) = self.chunks[id].as_mut() else {
            return;
        };
        chunk.pages[first_page..first_page + pages].fill(PageState::Dead);
        // An oversized chunk holds one function; a spare regular chunk is
        // kept only while it is the newest (the next compile reuses it).
        let unused = !chunk.pages.contains(&PageState::Live);
        let oversized = chunk.pages.len() != CHUNK_PAGES;
        let newest = self.chunks.iter().rposition(Option::is_some) == Some(id);
        if unused && (oversized || !newest) {
            let chunk = self.chunks[id].take().expect("checked above");
            chunk.unmap(page_size);
        }
    }
}

impl Chunk {
    fn map(pages: usize, page_size: usize) -> io::Result<Chunk> {
        // SAFETY: a fresh private anonymous mapping; no existing memory is
        // affected.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                pages * page_size,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(Chunk {
            base: NonNull::new(base.cast()).expect("mmap succeeded"),
            pages: vec![PageState::Free; pages],
            cursor: 0,
        })
    }

    fn unmap(self, page_size: usize) {
        // SAFETY: the chunk's whole mapping, which nothing references any
        // more (no page is live). A failure would only leak it.
        unsafe { libc::munmap(self.base.as_ptr().cast(), self.pages.len() * page_size) };
    }

    /// The first run of `pages` free pages at or after the cursor, then from
    /// the start.
    fn find_free(&self, pages: usize) -> Option<usize> {
        let fits = |at: usize| {
            at + pages <= self.pages.len()
                && self.pages[at..at + pages]
                    .iter()
                    .all(|&p| p == PageState::Free)
        };
        (self.cursor..self.pages.len())
            .chain(0..self.cursor)
            .find(|&at| fits(at))
    }

    fn take(&mut self, at: usize, pages: usize) {
        self.pages[at..at + pages].fill(PageState::Live);
        self.cursor = at + pages;
    }

    /// Makes every run of dead pages read+write and free again; allocation
    /// restarts from the first page.
    fn reclaim(&mut self, page_size: usize) -> io::Result<()> {
        let mut at = 0;
        while at < self.pages.len() {
            if self.pages[at] != PageState::Dead {
                at += 1;
                continue;
            }
            let end = (at..self.pages.len())
                .find(|&p| self.pages[p] != PageState::Dead)
                .unwrap_or(self.pages.len());
            // SAFETY: inside the chunk's mapping.
            let start = unsafe { self.base.as_ptr().add(at * page_size) };
            protect(
                start,
                (end - at) * page_size,
                libc::PROT_READ | libc::PROT_WRITE,
            )?;
            self.pages[at..end].fill(PageState::Free);
            at = end;
        }
        self.cursor = 0;
        Ok(())
    }
}

fn protect(start: *mut u8, len: usize, prot: libc::c_int) -> io::Result<()> {
    // SAFETY: callers pass whole pages of one of the arena's mappings, none
    // of them live code that another thread could be running.
    if unsafe { libc::mprotect(start.cast(), len, prot) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private_arena() -> &'static Mutex<CodeArena> {
        Box::leak(Box::new(Mutex::new(CodeArena::new())))
    }

    fn pages_of(arena: &Mutex<CodeArena>, chunk: usize) -> Option<Vec<PageState>> {
        lock(arena).chunks[chunk].as_ref().map(|c| c.pages.clone())
    }

    /// The permissions `/proc/self/maps` gives the page at `ptr`, as `r-xp`.
    fn permissions(ptr: *const u8) -> String {
        let addr = ptr as usize;
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        maps.lines()
            .find_map(|line| {
                let (range, rest) = line.split_once(' ')?;
                let (lo, hi) = range.split_once('-')?;
                let (lo, hi) = (
                    usize::from_str_radix(lo, 16).ok()?,
                    usize::from_str_radix(hi, 16).ok()?,
                );
                (lo <= addr && addr < hi).then(|| rest[..4].to_string())
            })
            .unwrap_or_default()
    }

    #[test]
    fn code_goes_to_adjacent_pages_and_dead_pages_are_reused_when_the_chunk_fills() {
        let arena = private_arena();
        let page = lock(arena).page_size;
        let a = CodePages::new_in(arena, &[1, 2, 3]).unwrap();
        assert_eq!(a.bytes(), &[1, 2, 3]);
        let b = CodePages::new_in(arena, &vec![7u8; page + 1]).unwrap();
        assert_eq!((a.first_page, b.first_page, b.pages), (0, 1, 2));
        assert_eq!(b.ptr() as usize - a.ptr() as usize, page, "adjacent");
        drop(a);
        let states = pages_of(arena, 0).unwrap();
        assert_eq!(
            &states[..4],
            [
                PageState::Dead,
                PageState::Live,
                PageState::Live,
                PageState::Free
            ]
        );
        // Free pages are used before dead ones are reclaimed.
        let rest: Vec<CodePages> = (3..CHUNK_PAGES)
            .map(|i| CodePages::new_in(arena, &[i as u8]).unwrap())
            .collect();
        assert_eq!(rest[0].first_page, 3);
        assert!(rest.iter().all(|c| c.chunk == 0));
        // The chunk is full: the dead first page turns free and is reused.
        let c = CodePages::new_in(arena, &[9]).unwrap();
        assert_eq!((c.chunk, c.first_page), (0, 0));
        assert_eq!(c.bytes(), &[9]);
        // Now nothing is free or dead: a second chunk.
        let d = CodePages::new_in(arena, &[10]).unwrap();
        assert_eq!((d.chunk, d.first_page), (1, 0));
        drop((b, rest, c));
        // The first chunk is unused but not the newest: unmapped.
        assert_eq!(pages_of(arena, 0), None);
        drop(d);
        assert!(
            pages_of(arena, 1).is_some(),
            "the newest chunk is kept for reuse"
        );
    }

    #[test]
    fn live_code_is_executable_and_not_writable() {
        let arena = private_arena();
        let a = CodePages::new_in(arena, &[0xc3]).unwrap();
        assert_eq!(permissions(a.ptr()), "r-xp");
        let page = lock(arena).page_size;
        // SAFETY: the next page of the same chunk, still free.
        let next = unsafe { a.ptr().add(page) };
        assert_eq!(permissions(next), "rw-p");
    }

    #[test]
    fn oversized_code_gets_its_own_chunk_unmapped_on_drop() {
        let arena = private_arena();
        let page = lock(arena).page_size;
        let small = CodePages::new_in(arena, &[1]).unwrap();
        let bytes = vec![0xabu8; (CHUNK_PAGES + 3) * page];
        let big = CodePages::new_in(arena, &bytes).unwrap();
        assert_eq!(big.bytes(), &bytes[..]);
        assert_ne!(big.chunk, small.chunk);
        let chunk = big.chunk;
        drop(big);
        assert_eq!(pages_of(arena, chunk), None);
    }
}
