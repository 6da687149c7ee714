//! Awaiting a batch of task handles on any runtime.

use std::future::Future;

/// Awaits every future in turn and returns the outputs in the same order. Given task
/// handles, the tasks already run concurrently; the order only decides which is awaited
/// first, so the total wait is the slowest task's.
pub async fn await_each<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut outputs = Vec::new();
    for future in futures {
        outputs.push(future.await);
    }
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    #[test]
    fn outputs_keep_the_order_of_the_futures() {
        let futures = (0..4).map(|i| async move { i * 10 });
        let mut joined = pin!(await_each(futures));
        let mut cx = Context::from_waker(Waker::noop());
        assert_eq!(
            joined.as_mut().poll(&mut cx),
            Poll::Ready(vec![0, 10, 20, 30])
        );
    }
}
