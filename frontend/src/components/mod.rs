//! Pieces shared by the pages.

pub mod activity;
pub mod chart;
pub mod conditions;
pub mod export;
pub mod feedback;
pub mod rfm;
pub mod scope;
pub mod scoring;
pub mod secret;
pub mod shell;
pub mod stat;
pub mod table;

use leptos::either::Either;
use leptos::prelude::IntoView;

/// Alternatives of a view that never change once built, as `Either` rather than `AnyView`:
/// an `AnyView` carries a diffing `rebuild` of its content type into the app's code even when
/// nothing ever rebuilds it. `a.left()` / `b.right()` in the two arms.
pub trait Branch: Sized {
    fn left<B>(self) -> Either<Self, B> {
        Either::Left(self)
    }

    fn right<A>(self) -> Either<A, Self> {
        Either::Right(self)
    }
}

impl<T: IntoView> Branch for T {}

/// Asks the browser to confirm `message` (false when it cannot ask).
pub fn confirm(message: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
}
