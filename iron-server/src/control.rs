//! The control bus behind the SDK control stream: admin actions publish,
//! every open stream of the affected project or key receives. In-process it
//! is a tokio broadcast channel; with `--redis-url` each message also goes
//! through Redis pub/sub so the streams held by other replicas get it.
//! Redis is only the fan-out: the ledger refuses a revoked key's leases
//! whether or not a stream heard about it.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::{Mutex, broadcast};

const CHANNEL: &str = "iron:control";
const BUFFER: usize = 1024;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ControlMessage {
    pub project_id: String,
    /// `None`: every session of the project; else only that key's sessions.
    pub key_id: Option<String>,
    /// The event as sent on the stream, e.g. `{"type": "revoked", ...}`.
    pub event: Value,
    /// The replica that published it (it already delivered it locally).
    origin: String,
}

pub struct ControlBus {
    local: broadcast::Sender<Arc<ControlMessage>>,
    origin: String,
    redis: Option<redis::Client>,
    publisher: Mutex<Option<redis::aio::MultiplexedConnection>>,
}

impl ControlBus {
    /// A bus; with a Redis URL it also starts the subscriber task.
    pub fn new(redis_url: Option<&str>) -> Result<Arc<ControlBus>, redis::RedisError> {
        let (local, _) = broadcast::channel(BUFFER);
        let redis = redis_url.map(redis::Client::open).transpose()?;
        let bus = Arc::new(ControlBus {
            local,
            origin: crate::ids::new_id("replica"),
            redis,
            publisher: Mutex::new(None),
        });
        if let Some(client) = bus.redis.clone() {
            tokio::spawn(relay_from_redis(
                client,
                bus.local.clone(),
                bus.origin.clone(),
            ));
        }
        Ok(bus)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<ControlMessage>> {
        self.local.subscribe()
    }

    /// Delivers to this replica's streams now and, with Redis, to the
    /// others'. A Redis failure is logged, not returned: the change itself
    /// is already committed and enforced by the database.
    pub async fn publish(&self, project_id: &str, key_id: Option<&str>, event: Value) {
        let message = ControlMessage {
            project_id: project_id.to_owned(),
            key_id: key_id.map(str::to_owned),
            event,
            origin: self.origin.clone(),
        };
        let payload = serde_json::to_string(&message).unwrap_or_default();
        let _ = self.local.send(Arc::new(message));
        if let Err(err) = self.publish_to_redis(&payload).await {
            tracing::warn!(error = %err, "control event not published to Redis");
        }
    }

    async fn publish_to_redis(&self, payload: &str) -> redis::RedisResult<()> {
        let Some(client) = &self.redis else {
            return Ok(());
        };
        let mut publisher = self.publisher.lock().await;
        if publisher.is_none() {
            *publisher = Some(client.get_multiplexed_async_connection().await?);
        }
        let Some(conn) = publisher.as_mut() else {
            return Ok(());
        };
        let sent: redis::RedisResult<i64> = redis::cmd("PUBLISH")
            .arg(CHANNEL)
            .arg(payload)
            .query_async(conn)
            .await;
        if sent.is_err() {
            *publisher = None;
        }
        sent.map(drop)
    }
}

/// Forwards other replicas' messages to the local channel; reconnects with
/// backoff when Redis goes away.
async fn relay_from_redis(
    client: redis::Client,
    local: broadcast::Sender<Arc<ControlMessage>>,
    origin: String,
) {
    let mut backoff = Duration::from_millis(100);
    loop {
        match client.get_async_pubsub().await {
            Ok(mut pubsub) => match pubsub.subscribe(CHANNEL).await {
                Ok(()) => {
                    backoff = Duration::from_millis(100);
                    let mut messages = pubsub.on_message();
                    while let Some(message) = messages.next().await {
                        let Ok(payload) = message.get_payload::<String>() else {
                            continue;
                        };
                        match serde_json::from_str::<ControlMessage>(&payload) {
                            Ok(m) if m.origin != origin => {
                                let _ = local.send(Arc::new(m));
                            }
                            Ok(_) => {}
                            Err(err) => tracing::warn!(error = %err, "bad control message"),
                        }
                    }
                    tracing::warn!("Redis control subscription ended; reconnecting");
                }
                Err(err) => tracing::warn!(error = %err, "Redis subscribe failed"),
            },
            Err(err) => tracing::warn!(error = %err, "Redis connection failed"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}
