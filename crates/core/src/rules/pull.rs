//! What one pull answer holds (DESIGN.md section 4): changes after the cursor that the device may
//! see, in order, up to a count and a byte budget; and where the cursor goes. The cursor moves past
//! changes the device may not see (and its own), so a kiosk or a volunteer's phone never scans the
//! same part of the log twice.

/// Stop adding changes to an answer once it holds about this many bytes of changes.
pub const PULL_BYTE_BUDGET: usize = 2 * 1024 * 1024;

/// One pull answer being filled, change by change, in sequence order.
#[derive(Debug, Clone)]
pub struct PullPage {
    limit: usize,
    budget: usize,
    taken: usize,
    bytes: usize,
    last_taken: Option<u64>,
    full: bool,
}

impl PullPage {
    /// An answer of at most `limit` changes and about [`PULL_BYTE_BUDGET`] bytes.
    pub fn new(limit: usize) -> PullPage {
        PullPage::with_budget(limit, PULL_BYTE_BUDGET)
    }

    pub fn with_budget(limit: usize, budget: usize) -> PullPage {
        PullPage {
            limit: limit.max(1),
            budget,
            taken: 0,
            bytes: 0,
            last_taken: None,
            full: false,
        }
    }

    /// Offers the next visible change (`seq`, `bytes` of JSON): whether it goes in this answer.
    /// The first always does, so one large change never blocks the log.
    pub fn offer(&mut self, seq: u64, bytes: usize) -> bool {
        if self.full || self.taken == self.limit || (self.taken > 0 && self.bytes + bytes > self.budget) {
            self.full = true;
            return false;
        }
        self.taken += 1;
        self.bytes += bytes;
        self.last_taken = Some(seq);
        true
    }

    /// Whether the answer is full: later offers are refused.
    pub fn is_full(&self) -> bool {
        self.full
    }

    /// The answer's cursor and `has_more`, after the pull's changes after `since` were offered.
    /// `newest` is the highest sequence number of the organisation's log as the pull saw it, seen
    /// or not: when everything visible fit, the cursor moves past the rest too.
    pub fn finish(&self, since: u64, newest: u64) -> (u64, bool) {
        if self.full {
            (self.last_taken.unwrap_or(since), true)
        } else {
            (since.max(newest), false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_stops_at_its_byte_budget_and_says_more_waits() {
        let mut page = PullPage::with_budget(1000, 100);
        assert!(page.offer(3, 60));
        assert!(page.offer(5, 40));
        assert!(!page.offer(8, 1));
        assert_eq!(page.finish(0, 50), (5, true));
    }

    #[test]
    fn a_change_larger_than_the_budget_still_goes_alone() {
        let mut page = PullPage::with_budget(1000, 100);
        assert!(page.offer(3, 500));
        assert!(!page.offer(4, 1));
        assert_eq!(page.finish(0, 9), (3, true));
    }

    #[test]
    fn the_count_limit_holds() {
        let mut page = PullPage::with_budget(2, usize::MAX);
        assert!(page.offer(1, 1) && page.offer(2, 1));
        assert!(!page.offer(3, 1));
        assert_eq!(page.finish(0, 3), (2, true));
    }

    #[test]
    fn the_cursor_moves_past_changes_the_device_does_not_see() {
        // A kiosk after 1,000 check-ins it may not see: nothing to send, the cursor past them all.
        let page = PullPage::new(1000);
        assert_eq!(page.finish(0, 1000), (1000, false));
        let mut page = PullPage::new(1000);
        assert!(page.offer(7, 10));
        assert_eq!(page.finish(0, 1000), (1000, false));
        // A cursor never goes back.
        assert_eq!(PullPage::new(10).finish(40, 12), (40, false));
    }
}
