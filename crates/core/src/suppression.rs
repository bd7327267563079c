//! Small-cell suppression (DESIGN.md, reporting rules): a survey figure built from fewer distinct
//! people than the threshold (default 5) is hidden, on screen, in exports and in print. Hiding one
//! cell of a table whose total is shown is not enough, because the total minus the others gives it
//! back: more cells are hidden until the hidden cells together hold at least the threshold.

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
/// A cell under the threshold is hidden (an empty cell too: "nobody here" is also a statement about
/// everyone else). If the total itself is under the threshold, every cell is hidden. Otherwise, while
/// the hidden cells together hold fewer than the threshold, or just one cell is hidden, the smallest
/// shown cell is hidden as well, so no hidden figure can be worked out from the total and the rest.
pub fn suppress_cells(counts: &[u32], threshold: u32) -> Vec<Suppressible<Share>> {
    let total: u32 = counts.iter().sum();
    let mut hidden: Vec<bool> = counts
        .iter()
        .map(|&count| total < threshold || count < threshold)
        .collect();
    loop {
        let hidden_cells = hidden.iter().filter(|&&h| h).count();
        let hidden_people: u32 = counts
            .iter()
            .zip(&hidden)
            .filter(|(_, h)| **h)
            .map(|(c, _)| c)
            .sum();
        let safe = hidden_cells == 0 || (hidden_cells >= 2 && hidden_people >= threshold);
        if safe {
            break;
        }
        let smallest_shown = counts
            .iter()
            .enumerate()
            .filter(|(i, _)| !hidden[*i])
            .min_by_key(|(_, count)| **count)
            .map(|(i, _)| i);
        match smallest_shown {
            Some(i) => hidden[i] = true,
            None => break,
        }
    }
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
    fn one_small_cell_takes_the_smallest_other_cell_with_it() {
        // 3 alone would be 20 - 17 = 3: the next smallest cell is hidden too.
        assert_eq!(shown(&suppress_cells(&[3, 6, 11], 5)), vec![None, None, Some(11)]);
    }

    #[test]
    fn hidden_cells_must_together_hold_the_threshold() {
        // 1 + 1 = 2 could be worked out from 40 - 38; hiding 38 too leaves nothing to subtract from.
        assert_eq!(shown(&suppress_cells(&[1, 1, 38], 5)), vec![None, None, None]);
        // 1 + 4 = 5 hidden together is enough: 30 and 40 stay.
        assert_eq!(
            shown(&suppress_cells(&[1, 4, 30, 40], 5)),
            vec![None, None, Some(30), Some(40)]
        );
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
    }
}
