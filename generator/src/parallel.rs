//! Parallel iteration where the `parallel` feature (rayon) is on, plain
//! iteration otherwise: the same calls either way, so a build.rs that turns
//! default features off compiles no thread pool, and the output is the same
//! (every parallel step keeps input order).

#[cfg(feature = "parallel")]
pub(crate) use rayon::prelude::*;

/// Runs `work` on a core that is free now, ahead of its first need (a lazily
/// built table, say), without waiting for it. Without threads it does
/// nothing: the work then happens where it is first needed, as before.
pub(crate) fn ahead_of_time(work: impl FnOnce() + Send + 'static) {
    #[cfg(feature = "parallel")]
    rayon::spawn(work);
    #[cfg(not(feature = "parallel"))]
    drop(work);
}

#[cfg(not(feature = "parallel"))]
pub(crate) use sequential::*;

#[cfg(not(feature = "parallel"))]
mod sequential {
    /// `par_iter` and `par_chunk_by_mut` on slices (and so on `Vec`s), in order.
    pub(crate) trait ParallelSlice<T> {
        /// The items, one after another.
        fn par_iter(&self) -> std::slice::Iter<'_, T>;
        /// The items, `size` at a time.
        fn par_chunks(&self, size: usize) -> std::slice::Chunks<'_, T>;
        /// Runs of items that `same` says belong together.
        fn par_chunk_by_mut<F: FnMut(&T, &T) -> bool>(
            &mut self,
            same: F,
        ) -> std::slice::ChunkByMut<'_, T, F>;
    }

    impl<T> ParallelSlice<T> for [T] {
        fn par_iter(&self) -> std::slice::Iter<'_, T> {
            self.iter()
        }

        fn par_chunks(&self, size: usize) -> std::slice::Chunks<'_, T> {
            self.chunks(size)
        }

        fn par_chunk_by_mut<F: FnMut(&T, &T) -> bool>(
            &mut self,
            same: F,
        ) -> std::slice::ChunkByMut<'_, T, F> {
            self.chunk_by_mut(same)
        }
    }

    /// `into_par_iter` on anything iterable, in order.
    pub(crate) trait IntoParallelIterator: IntoIterator + Sized {
        /// The items, one after another.
        fn into_par_iter(self) -> Self::IntoIter {
            self.into_iter()
        }
    }

    impl<I: IntoIterator> IntoParallelIterator for I {}
}
