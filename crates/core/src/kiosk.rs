//! The volunteer's way out of a shared screen (kiosk mode): how long a wrong PIN makes the next try
//! wait. A few slips cost nothing; guessing costs time that doubles, so a 4-digit PIN is not found
//! by trying while the volunteer looks away.

use std::time::Duration;

/// Wrong PINs allowed before the next try has to wait.
pub const FREE_MISSES: u32 = 5;
/// The first wait, after [`FREE_MISSES`] wrong PINs; each further miss doubles it.
pub const FIRST_WAIT: Duration = Duration::from_secs(30);
/// The longest wait: an hour.
pub const LONGEST_WAIT: Duration = Duration::from_secs(60 * 60);

/// How long the next try waits after `misses` wrong PINs in a row.
pub fn wait_after(misses: u32) -> Duration {
    if misses < FREE_MISSES {
        return Duration::ZERO;
    }
    let doublings = (misses - FREE_MISSES).min(16);
    FIRST_WAIT.saturating_mul(1 << doublings).min(LONGEST_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_slips_are_free_then_each_miss_doubles_the_wait_up_to_an_hour() {
        assert_eq!(wait_after(0), Duration::ZERO);
        assert_eq!(wait_after(4), Duration::ZERO);
        assert_eq!(wait_after(5), Duration::from_secs(30));
        assert_eq!(wait_after(6), Duration::from_secs(60));
        assert_eq!(wait_after(9), Duration::from_secs(480));
        assert_eq!(wait_after(12), LONGEST_WAIT);
        assert_eq!(wait_after(u32::MAX), LONGEST_WAIT);
    }
}
