//! Rate limiting: a token bucket per key, in memory. Paired devices are limited per device; requests
//! that name no device (pairing, health, the API document) or an unknown one are limited per client
//! address. The defaults leave a device's normal sync (a push and a few pulls every couple of
//! seconds at most) far below the limit; they stop a runaway or hostile client from starving the
//! others.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use spor_core::ids::DeviceId;

#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    /// Requests a device may make at once.
    pub burst: u32,
    /// Requests per second a device may sustain.
    pub per_second: f64,
}

impl Default for RateLimit {
    fn default() -> RateLimit {
        RateLimit {
            burst: 120,
            per_second: 20.0,
        }
    }
}

/// The most keys kept at once; past it, buckets that have refilled are forgotten.
const MAX_KEYS: usize = 10_000;

#[derive(Debug)]
pub struct RateLimiter<K = DeviceId> {
    limit: RateLimit,
    buckets: Mutex<HashMap<K, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl<K: Hash + Eq + Copy> RateLimiter<K> {
    pub fn new(limit: RateLimit) -> RateLimiter<K> {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `key`'s bucket, or says how long until one is available.
    pub fn check(&self, key: K, now: Instant) -> Result<(), Duration> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let burst = f64::from(self.limit.burst);
        if buckets.len() >= MAX_KEYS {
            let per_second = self.limit.per_second;
            buckets.retain(|_, bucket| {
                bucket.tokens + now.saturating_duration_since(bucket.updated).as_secs_f64() * per_second
                    < burst
            });
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.limit.per_second).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / self.limit.per_second;
            Err(Duration::from_secs_f64(wait.max(0.001)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_device_gets_its_burst_then_waits_and_others_are_not_affected() {
        let limiter = RateLimiter::new(RateLimit {
            burst: 3,
            per_second: 2.0,
        });
        let (busy, quiet) = (DeviceId(Uuid::from_u128(1)), DeviceId(Uuid::from_u128(2)));
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(busy, start), Ok(()));
        }
        let wait = limiter.check(busy, start).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        assert_eq!(limiter.check(quiet, start), Ok(()));
        assert_eq!(limiter.check(busy, start + Duration::from_millis(500)), Ok(()));
    }
}
