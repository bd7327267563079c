//! Small-cell suppression (DESIGN.md, reporting rules): a survey figure built from fewer distinct
//! people than the threshold (default 5) is hidden, on screen, in exports and in print. Hiding one
//! cell of a table whose total is shown is not enough, because the total minus the others gives it
//! back, so more cells are hidden with it (complements). Which ones must not depend on the hidden
//! counts either: Spor's rules are public, and someone who knows how complements are chosen could
//! otherwise work a count out from the choice itself (choosing the smallest cell tells that the
//! complement is at most every count still shown: [24, 24, 6] at 7 hides 24 and 6, and 30 can then
//! only be 24 + 6).

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// A figure that is either shown or hidden as "fewer than N".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shown", content = "value", rename_all = "snake_case")]
pub enum Suppressible<T> {
    Shown(T),
    /// Hidden: built from fewer people than the threshold (or its complement).
    Hidden,
}

impl<T> Suppressible<T> {
    pub fn shown(self) -> Option<T> {
        match self {
            Suppressible::Shown(value) => Some(value),
            Suppressible::Hidden => None,
        }
    }

    pub fn is_hidden(&self) -> bool {
        matches!(self, Suppressible::Hidden)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Suppressible<U> {
        match self {
            Suppressible::Shown(value) => Suppressible::Shown(f(value)),
            Suppressible::Hidden => Suppressible::Hidden,
        }
    }
}

/// A figure over `people` distinct people: shown only when there are at least `threshold`.
pub fn at_least<T>(people: u32, threshold: u32, value: impl FnOnce() -> T) -> Suppressible<T> {
    if people >= threshold {
        Suppressible::Shown(value())
    } else {
        Suppressible::Hidden
    }
}

/// A count and its share of the table's total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Share {
    pub count: u32,
    /// 0.0 to 1.0.
    pub share: f64,
}

/// The cells of one table (counts of distinct people that add up to its total), each shown or hidden.
///
/// A cell under the threshold is small (an empty cell too: "nobody here" is also a statement about
/// everyone else); if the total is under the threshold, every cell is. The cells go in pairs in the
/// table's own order, an odd last cell riding with the last pair, and a small cell hides its pair
/// (a small rider its group of three). If every hidden cell is small, one more goes: the rest of a
/// group already partly hidden, else the first pair still shown.
///
/// Why pairs: whatever the counts, the hidden cells are then a set that any one of them could hold
/// all the hidden people of, with the others empty, and the same cells would be hidden. So a reader
/// who knows the total, the shown cells and this rule still cannot tell any hidden count: each could
/// be none or all of them, and together they hold at least the threshold.
pub fn suppress_cells(counts: &[u32], threshold: u32) -> Vec<Suppressible<Share>> {
    let total: u32 = counts.iter().sum();
    let small: Vec<bool> = counts
        .iter()
        .map(|&count| total < threshold || count < threshold)
        .collect();
    let hidden = complemented(&small);
    counts
        .iter()
        .zip(hidden)
        .map(|(&count, hidden)| {
            if hidden {
                Suppressible::Hidden
            } else {
                Suppressible::Shown(Share {
                    count,
                    share: f64::from(count) / f64::from(total.max(1)),
                })
            }
        })
        .collect()
}

/// The cells to hide, given which are small (see `suppress_cells`). Decided by positions alone, so
/// the choice tells nothing the hidden cells' being small does not.
fn complemented(small: &[bool]) -> Vec<bool> {
    if small.iter().all(|&small| small) || !small.contains(&true) {
        return small.to_vec();
    }
    let groups = groups(small.len());
    let mut hidden = vec![false; small.len()];
    for group in groups
        .iter()
        .filter(|&group| small[group.clone()].contains(&true))
    {
        match rider(group) {
            Some(rider) if !small[rider] => hidden[group.start..rider].fill(true),
            _ => hidden[group.clone()].fill(true),
        }
    }
    if hidden == small {
        let partly_hidden = groups
            .iter()
            .find(|group| hidden[group.start] && !hidden[group.end - 1]);
        let still_shown = groups.iter().find(|group| !hidden[group.start]);
        match (partly_hidden, still_shown) {
            (Some(group), _) => hidden[group.clone()].fill(true),
            (None, Some(group)) => hidden[group.start..group.start + 2].fill(true),
            (None, None) => {}
        }
    }
    hidden
}

/// The table's cells in pairs in its own order; an odd last cell joins the last pair.
fn groups(cells: usize) -> Vec<Range<usize>> {
    let mut groups: Vec<Range<usize>> = (0..cells)
        .step_by(2)
        .map(|start| start..(start + 2).min(cells))
        .collect();
    if groups.len() >= 2 && groups[groups.len() - 1].len() == 1 {
        groups.pop();
        if let Some(last) = groups.last_mut() {
            last.end = cells;
        }
    }
    groups
}

/// The odd cell riding with the last pair, if this group has one.
fn rider(group: &Range<usize>) -> Option<usize> {
    (group.len() == 3).then_some(group.end - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shown(cells: &[Suppressible<Share>]) -> Vec<Option<u32>> {
        cells
            .iter()
            .map(|cell| cell.shown().map(|share| share.count))
            .collect()
    }

    #[test]
    fn large_cells_are_shown_with_their_share() {
        let cells = suppress_cells(&[6, 14], 5);
        assert_eq!(shown(&cells), vec![Some(6), Some(14)]);
        assert_eq!(cells[0].shown().unwrap().share, 0.3);
    }

    #[test]
    fn a_small_cell_hides_its_pair() {
        // 3 alone would be 40 - 37 = 3: its pair, the 30, is hidden with it, whatever its size.
        assert_eq!(
            shown(&suppress_cells(&[30, 3, 6, 11], 5)),
            vec![None, None, Some(6), Some(11)]
        );
        assert_eq!(
            shown(&suppress_cells(&[6, 11, 3, 30], 5)),
            vec![Some(6), Some(11), None, None]
        );
    }

    #[test]
    fn an_odd_last_cell_rides_with_the_last_pair() {
        // A small cell of the pair hides the pair; a small rider hides all three.
        assert_eq!(shown(&suppress_cells(&[3, 6, 11], 5)), vec![None, None, Some(11)]);
        assert_eq!(shown(&suppress_cells(&[6, 11, 3], 5)), vec![None, None, None]);
        assert_eq!(
            shown(&suppress_cells(&[20, 30, 6, 11, 3], 5)),
            vec![Some(20), Some(30), None, None, None]
        );
    }

    #[test]
    fn small_cells_alone_take_one_more_with_them() {
        // 1 + 4 hidden alone would be 75 - 70 = 5 in two cells that are both small: the first
        // pair still shown goes too, so the hidden four could be split any way at all.
        assert_eq!(shown(&suppress_cells(&[1, 4, 30, 40], 5)), vec![None; 4]);
        // With a group of three, its rider is the one more.
        assert_eq!(shown(&suppress_cells(&[1, 1, 38], 5)), vec![None; 3]);
    }

    #[test]
    fn a_table_over_fewer_than_the_threshold_is_hidden_whole() {
        assert_eq!(shown(&suppress_cells(&[2, 2], 5)), vec![None, None]);
    }

    #[test]
    fn an_empty_cell_is_hidden_too() {
        // "Nobody scored low" would tell something about all 12.
        assert_eq!(shown(&suppress_cells(&[0, 12], 5)), vec![None, None]);
    }

    /// What someone reading the table knows: which cells are hidden, the shown counts and, when it
    /// is at least the threshold, the total (a shown share gives it away; people_row prints it).
    fn seen(counts: &[u32], threshold: u32) -> (Vec<Option<u32>>, Option<u32>) {
        let total: u32 = counts.iter().sum();
        let shown_total = (total >= threshold).then_some(total);
        (shown(&suppress_cells(counts, threshold)), shown_total)
    }

    /// Every table of up to five cells whose total is at most `largest`, against everything else
    /// the reader could have been shown: each hidden cell could hold at least two counts.
    #[test]
    fn no_hidden_count_follows_from_what_is_shown_and_how_complements_are_chosen() {
        use std::collections::{BTreeSet, HashMap};
        let largest = 12u32;
        for threshold in 3..=6 {
            for cells in 1..=5usize {
                let mut possible: HashMap<_, Vec<BTreeSet<u32>>> = HashMap::new();
                let mut counts = vec![0u32; cells];
                loop {
                    if counts.iter().sum::<u32>() <= largest {
                        let values = possible
                            .entry(seen(&counts, threshold))
                            .or_insert_with(|| vec![BTreeSet::new(); cells]);
                        for (values, count) in values.iter_mut().zip(&counts) {
                            values.insert(*count);
                        }
                    }
                    // The next table, counting in base largest + 1.
                    let Some(digit) = counts.iter().position(|&count| count < largest) else {
                        break;
                    };
                    counts[digit] += 1;
                    counts[..digit].iter_mut().for_each(|count| *count = 0);
                }
                for ((cells_seen, total), values) in &possible {
                    for (cell, values) in cells_seen.iter().zip(values) {
                        // A single cell is its own total: hidden with it, nothing to protect.
                        if cell.is_none() && !(cells == 1 && total.is_none()) {
                            assert!(
                                values.len() >= 2,
                                "{cells_seen:?} (total {total:?}) at {threshold} pins a hidden cell to {values:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    proptest! {
        /// No shown cell is under the threshold, and the hidden cells are never exactly one and
        /// together hold at least the threshold, so no hidden figure follows from total minus shown.
        #[test]
        fn nothing_under_the_threshold_is_shown_or_derivable(
            counts in prop::collection::vec(0u32..30, 1..7),
            threshold in 3u32..10,
        ) {
            let cells = suppress_cells(&counts, threshold);
            let mut hidden_cells = 0;
            let mut hidden_people = 0;
            for (count, cell) in counts.iter().zip(&cells) {
                match cell.shown() {
                    Some(share) => {
                        prop_assert!(share.count >= threshold);
                        prop_assert_eq!(share.count, *count);
                    }
                    None => {
                        hidden_cells += 1;
                        hidden_people += count;
                    }
                }
            }
            prop_assert!(hidden_cells != 1 || counts.len() == 1);
            prop_assert!(hidden_cells == 0 || hidden_people >= threshold || hidden_cells == counts.len());
        }

        /// The reason no hidden count can be told, at any size: any one hidden cell could hold all
        /// the hidden people, the others none, and the same cells would be hidden.
        #[test]
        fn any_hidden_cell_could_hold_all_the_hidden_people(
            counts in prop::collection::vec(0u32..60, 1..10),
            threshold in 3u32..10,
        ) {
            let hidden_cells = |counts: &[u32]| -> Vec<usize> {
                suppress_cells(counts, threshold)
                    .iter()
                    .enumerate()
                    .filter(|(_, cell)| cell.is_hidden())
                    .map(|(index, _)| index)
                    .collect()
            };
            let hidden = hidden_cells(&counts);
            prop_assume!(counts.iter().sum::<u32>() >= threshold && !hidden.is_empty());
            let hidden_people: u32 = hidden.iter().map(|&index| counts[index]).sum();
            for &holder in &hidden {
                let mut other = counts.clone();
                hidden.iter().for_each(|&index| other[index] = 0);
                other[holder] = hidden_people;
                prop_assert_eq!(hidden_cells(&other), hidden.clone(), "{:?} against {:?}", other, counts);
            }
        }
    }
}
