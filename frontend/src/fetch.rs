//! Data a view loads from the API: a signal with the last answer, loaded again whenever a
//! signal the loader reads changes (or on `refetch`). A small stand-in for `LocalResource`,
//! whose async machinery, instantiated once per use, made up a large part of the app's size.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;

pub struct Fetch<T: 'static> {
    value: RwSignal<Option<Result<T, ApiError>>>,
    again: RwSignal<u64>,
    /// A load is under way (the old value, if any, is still shown).
    pub loading: RwSignal<bool>,
}

impl<T> Clone for Fetch<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Fetch<T> {}

impl<T: Send + Sync + 'static> Fetch<T> {
    pub fn new<F, Fut>(load: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let value = RwSignal::new(None);
        let again = RwSignal::new(0u64);
        let loading = RwSignal::new(true);
        // Answers can arrive out of order: only the latest load's one is kept.
        let latest = Rc::new(Cell::new(0u64));
        Effect::new(move |_| {
            again.track();
            let fut = load();
            let this = latest.get() + 1;
            latest.set(this);
            loading.set(true);
            let latest = latest.clone();
            spawn_local(async move {
                let result = fut.await;
                if latest.get() == this {
                    value.set(Some(result));
                    loading.set(false);
                }
            });
        });
        Fetch { value, again, loading }
    }

    pub fn refetch(&self) {
        self.again.update(|n| *n += 1);
    }

    /// An answer has arrived (tracked).
    pub fn has_value(&self) -> bool {
        self.value.with(Option::is_some)
    }
}

impl<T: Clone + Send + Sync + 'static> Fetch<T> {
    /// The last answer (tracked); `None` until the first one.
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        self.value.get()
    }
}
