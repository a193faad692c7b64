//! Shared by the runtime's tests and the generated crate's hand-written tests (which include it by path).

use std::cell::RefCell;
use std::sync::{Arc, Mutex, Once};

/// Collects every tracing event as text, to check retries are logged and nothing secret is.
#[derive(Clone, Default)]
pub struct Logs(pub Arc<Mutex<Vec<String>>>);

impl Logs {
    /// Keeps an event as `LEVEL: field=value ...`.
    fn push(&self, event: &tracing::Event<'_>) {
        struct Text(String);
        impl tracing::field::Visit for Text {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!(" {}={value:?}", field.name()));
            }
        }
        let mut text = Text(format!("{}:", event.metadata().level()));
        event.record(&mut text);
        self.0.lock().unwrap().push(text.0);
    }
}

thread_local! {
    /// The logs the running test captures on this thread.
    static CAPTURING: RefCell<Option<Logs>> = const { RefCell::new(None) };
}

/// The process's one subscriber: every event goes to the logs its thread captures, if any. One global
/// subscriber, rather than `set_default` per test, because tracing caches each call site's interest
/// across threads: a site first hit by a test running beside with no subscriber could be cached as
/// "never" and a scoped subscriber then miss its event (a flaky test, 1 run in 3 on 2 cores).
struct Router;

impl tracing::Subscriber for Router {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        CAPTURING.with(|c| {
            if let Some(logs) = &*c.borrow() {
                logs.push(event);
            }
        });
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Stops the capture when dropped.
pub struct Capture;

impl Drop for Capture {
    fn drop(&mut self) {
        CAPTURING.with(|c| *c.borrow_mut() = None);
    }
}

impl Logs {
    /// Captures the events of this thread (a `current_thread` test runtime's) until the guard drops.
    pub fn capture(&self) -> Capture {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            tracing::subscriber::set_global_default(Router).expect("no other global subscriber in tests");
        });
        // Any call site cached before the router was installed is asked again.
        tracing::callsite::rebuild_interest_cache();
        CAPTURING.with(|c| *c.borrow_mut() = Some(self.clone()));
        Capture
    }
}
