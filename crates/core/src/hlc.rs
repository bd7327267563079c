//! Hybrid logical clocks (Kulkarni et al. 2014): the stamps that order edits of mutable fields and
//! attendance events across devices whose wall clocks disagree.
//!
//! A stamp is (wall-clock milliseconds, counter, device). It never goes backwards on a device, it
//! moves past every stamp the device has seen from others, and the device id breaks ties, so any two
//! stamps are ordered and every device orders them the same way (DESIGN.md section 4).

use serde::{Deserialize, Serialize};

use crate::ids::DeviceId;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch, as the device's clock (or a later stamp it saw) had it.
    pub wall_ms: u64,
    /// Orders stamps within one millisecond.
    pub counter: u32,
    /// Breaks ties between devices.
    pub device: DeviceId,
}

impl Hlc {
    /// The largest wall time a stamp may carry: 2^53 - 1 ms (year 287,396), the largest integer a
    /// JavaScript number holds exactly, so every stamp survives the trip through the app.
    pub const MAX_WALL_MS: u64 = (1 << 53) - 1;

    /// The first stamp of a device, before it has stamped anything.
    pub fn start(device: DeviceId) -> Hlc {
        Hlc {
            wall_ms: 0,
            counter: 0,
            device,
        }
    }

    /// The stamp for a local edit at wall-clock `now_ms`, after `self` (this device's latest stamp).
    pub fn tick(self, now_ms: u64) -> Hlc {
        if now_ms > self.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
                device: self.device,
            }
        } else {
            Hlc {
                counter: self.counter.saturating_add(1),
                ..self
            }
        }
    }

    /// This device's clock after seeing `remote` (a stamp from another device) at `now_ms`.
    pub fn observe(self, remote: Hlc, now_ms: u64) -> Hlc {
        let wall_ms = now_ms.max(self.wall_ms).max(remote.wall_ms);
        let counter = if wall_ms == self.wall_ms && wall_ms == remote.wall_ms {
            self.counter.max(remote.counter).saturating_add(1)
        } else if wall_ms == self.wall_ms {
            self.counter.saturating_add(1)
        } else if wall_ms == remote.wall_ms {
            remote.counter.saturating_add(1)
        } else {
            0
        };
        Hlc {
            wall_ms,
            counter,
            device: self.device,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn device(n: u128) -> DeviceId {
        DeviceId(Uuid::from_u128(n))
    }

    #[test]
    fn ticks_never_go_backwards_even_when_the_wall_clock_does() {
        let mut clock = Hlc::start(device(1));
        let mut previous = clock;
        for now in [1000, 1000, 999, 5, 1001, 1001] {
            clock = clock.tick(now);
            assert!(clock > previous, "{clock:?} after {previous:?}");
            previous = clock;
        }
    }

    #[test]
    fn observing_a_stamp_from_a_device_with_a_fast_clock_moves_past_it() {
        let fast = Hlc::start(device(2)).tick(9_000_000);
        let slow = Hlc::start(device(1)).tick(1_000).observe(fast, 1_001);
        assert!(slow > fast);
        assert!(
            slow.tick(1_002) > fast,
            "later local edits also order after what was seen"
        );
    }

    #[test]
    fn equal_times_and_counters_are_ordered_by_device() {
        let a = Hlc {
            wall_ms: 5,
            counter: 0,
            device: device(1),
        };
        let b = Hlc {
            device: device(2),
            ..a
        };
        assert!(a < b);
    }
}
