//! Per-device rate limiting: a token bucket per device, in memory. The defaults leave a device's
//! normal sync (a push and a few pulls every couple of seconds at most) far below the limit; they
//! stop a runaway or hostile client from starving the others.

use std::collections::HashMap;
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

#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<DeviceId, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `device`'s bucket, or says how long until one is available.
    pub fn check(&self, device: DeviceId, now: Instant) -> Result<(), Duration> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let burst = f64::from(self.limit.burst);
        let bucket = buckets.entry(device).or_insert(Bucket {
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
