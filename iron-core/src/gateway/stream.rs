//! A provider's SSE stream on its way to the agent: forwarded event by
//! event, metered as it passes, and billed exactly once — when it ends, when
//! the provider breaks it, or when the agent goes away (drop).

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures::Stream;

use super::call::Billing;
use super::sse::SseParser;
use super::stream_guard::StreamGuard;
use super::usage::StreamMeter;
use crate::provider::ByteStream;

pub(crate) struct MeteredStream {
    upstream: ByteStream,
    parser: SseParser,
    meter: StreamMeter,
    /// Redacts streamed text when the safety policy asks for it.
    guard: Option<StreamGuard>,
    billing: Option<Billing>,
}

impl MeteredStream {
    pub fn new(upstream: ByteStream, billing: Billing) -> Self {
        let guard = billing
            .state()
            .guards
            .clone()
            .and_then(|g| StreamGuard::new(billing.api(), g));
        Self {
            upstream,
            parser: SseParser::new(),
            meter: StreamMeter::default(),
            guard,
            billing: Some(billing),
        }
    }

    /// Meters the events a chunk completes and returns the bytes to forward.
    fn forward(&mut self, events: Vec<super::sse::SseEvent>) -> Bytes {
        let Some(billing) = &self.billing else {
            return Bytes::new();
        };
        let api = billing.api();
        let strip = billing.strip_usage_chunk;
        let mut out = BytesMut::new();
        for event in events {
            // Parsed once for the meter and the guard.
            let json = event.json();
            let usage_only = self.meter.observe(api, json.as_ref());
            if usage_only && strip {
                continue;
            }
            match &mut self.guard {
                Some(guard) => guard.transform(&event, json, &mut out),
                None => out.extend_from_slice(&event.raw),
            }
        }
        out.freeze()
    }

    fn bill(&mut self, outcome: &str) {
        if let Some(billing) = self.billing.take() {
            if let Some(guard) = self.guard.take() {
                guard.finish(&*billing.state().events, billing.model());
            }
            let meter = std::mem::take(&mut self.meter);
            billing.finish(meter.usage, meter.input_reported, &meter.text, outcome);
        }
    }
}

impl Stream for MeteredStream {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.billing.is_none() {
                return Poll::Ready(None);
            }
            match this.upstream.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => match this.parser.push(&chunk) {
                    Ok(events) => {
                        let out = this.forward(events);
                        if !out.is_empty() {
                            return Poll::Ready(Some(Ok(out)));
                        }
                    }
                    Err(_) => {
                        this.bill("aborted");
                        return Poll::Ready(Some(Err(std::io::Error::other(
                            "provider sent an oversized stream event",
                        ))));
                    }
                },
                Poll::Ready(Some(Err(e))) => {
                    // The provider broke the stream: bill what was received
                    // and end the agent's stream with an error too.
                    this.bill("aborted");
                    return Poll::Ready(Some(Err(std::io::Error::other(e.to_string()))));
                }
                Poll::Ready(None) => {
                    let tail = this.parser.finish();
                    let out = tail.map(|event| this.forward(vec![event]));
                    this.bill("ok");
                    return Poll::Ready(out.filter(|b| !b.is_empty()).map(Ok));
                }
            }
        }
    }
}

impl Drop for MeteredStream {
    fn drop(&mut self) {
        // The agent disconnected mid-stream: bill what it received.
        self.bill("aborted");
    }
}
