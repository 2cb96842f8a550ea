//! [`Handler`]: the Rust implementation of the `Interop` service.

use std::sync::{Mutex, MutexGuard, PoisonError};

use pilota::{Bytes, FastStr};
use volo_thrift::__codegen::BoxError;

use crate::interop::{
    Everything, Interop, InteropHandlerError, InteropSumException, InvalidInput, Overflow, Point,
    Scalars, Suit,
};

/// Answers every `Interop` call as the comments of `idl/interop.thrift` say,
/// exactly as the Python server does, so that a client can check the answers
/// of either.
///
/// Oneway `record` calls are kept (until `clear`) and listed by `events`.
#[derive(Debug, Default)]
pub struct Handler {
    events: Mutex<Vec<FastStr>>,
}

impl Handler {
    /// A handler with no recorded events.
    pub fn new() -> Self {
        Self::default()
    }

    fn events_mut(&self) -> MutexGuard<'_, Vec<FastStr>> {
        // The list stays valid whatever panicked while holding the lock.
        self.events.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Interop for Handler {
    async fn scalars(
        &self,
        flag: bool,
        tiny: i8,
        small: i8,
        short_num: i16,
        num: i32,
        big: i64,
        ratio: f64,
        text: FastStr,
        blob: Bytes,
        suit: Suit,
    ) -> Result<Scalars, BoxError> {
        Ok(transform_scalars(Scalars {
            flag,
            tiny,
            small,
            short_num,
            num,
            big,
            ratio,
            text: Some(text),
            blob: Some(blob),
            suit,
        }))
    }

    async fn transform(&self, value: Everything) -> Result<Everything, BoxError> {
        Ok(transform_everything(value))
    }

    async fn sum(&self, values: Vec<i64>) -> Result<i64, InteropHandlerError<InteropSumException>> {
        if values.is_empty() {
            return Err(InvalidInput {
                reason: Some(FastStr::from_static_str("no values")),
                code: 400,
            }
            .into());
        }
        let mut total: i64 = 0;
        for v in values {
            total = total.checked_add(v).ok_or(Overflow { partial: total })?;
        }
        Ok(total)
    }

    async fn clear(&self) -> Result<(), BoxError> {
        self.events_mut().clear();
        Ok(())
    }

    async fn record(&self, event: FastStr) -> Result<(), BoxError> {
        self.events_mut().push(event);
        Ok(())
    }

    async fn events(&self) -> Result<Vec<FastStr>, BoxError> {
        Ok(self.events_mut().clone())
    }
}

/// The suit after `suit`, SPADES wrapping to CLUBS.
fn next_suit(suit: Suit) -> Suit {
    Suit(suit.0.rem_euclid(4) + 1)
}

fn swap(p: Point) -> Point {
    Point { x: p.y, y: p.x }
}

fn swap_all(points: Vec<Point>) -> Vec<Point> {
    points.into_iter().map(swap).collect()
}

fn reversed<T>(mut v: Vec<T>) -> Vec<T> {
    v.reverse();
    v
}

fn transform_scalars(s: Scalars) -> Scalars {
    Scalars {
        flag: !s.flag,
        tiny: s.tiny.wrapping_neg(),
        small: s.small.wrapping_add(1),
        short_num: s.short_num.wrapping_add(1),
        num: s.num.wrapping_mul(2),
        big: s.big.wrapping_neg(),
        ratio: s.ratio * 2.0,
        text: s
            .text
            .map(|t| FastStr::from_string(t.chars().rev().collect())),
        blob: s.blob.map(|b| Bytes::from(reversed(b.to_vec()))),
        suit: next_suit(s.suit),
    }
}

fn transform_everything(v: Everything) -> Everything {
    Everything {
        scalars: transform_scalars(v.scalars),
        numbers: v.numbers.map(reversed),
        tags: v.tags.map(|mut tags| {
            tags.insert(FastStr::from_static_str("seen"));
            tags
        }),
        counts: v.counts.map(|counts| {
            counts
                .into_iter()
                .map(|(k, c)| (k, c.wrapping_add(1)))
                .collect()
        }),
        grid: v.grid.map(reversed),
        paths: v.paths.map(|paths| {
            paths
                .into_iter()
                .map(|(k, points)| (k, swap_all(points)))
                .collect()
        }),
        hands: v.hands.map(|hands| {
            hands
                .into_iter()
                .map(|(k, mut hand)| {
                    hand.insert(Suit::SPADES);
                    (k, hand)
                })
                .collect()
        }),
        points: v.points.map(swap_all),
        note: v.note.map(|n| FastStr::from_string(format!("{n}!"))),
        origin: v.origin.map(swap),
        retries: v.retries.wrapping_add(1),
        label: v.label,
        trump: next_suit(v.trump),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suits_cycle() {
        assert_eq!(next_suit(Suit::CLUBS), Suit::DIAMONDS);
        assert_eq!(next_suit(Suit::HEARTS), Suit::SPADES);
        assert_eq!(next_suit(Suit::SPADES), Suit::CLUBS);
        // Undeclared values stay in range instead of failing.
        assert_eq!(next_suit(Suit(0)), Suit::CLUBS);
        assert_eq!(next_suit(Suit(-1)), Suit::SPADES);
    }

    #[test]
    fn scalars_wrap_and_reverse() {
        let got = transform_scalars(Scalars {
            flag: true,
            tiny: i8::MIN,
            small: i8::MAX,
            short_num: i16::MAX,
            num: 1_500_000_000,
            big: i64::MIN,
            ratio: -1.25,
            text: Some("añ✓".into()),
            blob: Some(Bytes::from_static(b"\x00\xff")),
            suit: Suit::SPADES,
        });
        assert_eq!(
            got,
            Scalars {
                flag: false,
                tiny: i8::MIN,
                small: i8::MIN,
                short_num: i16::MIN,
                num: -1_294_967_296,
                big: i64::MIN,
                ratio: -2.5,
                text: Some("✓ña".into()),
                blob: Some(Bytes::from_static(b"\xff\x00")),
                suit: Suit::CLUBS,
            }
        );
    }

    #[test]
    fn absent_fields_stay_absent() {
        let got = transform_everything(Everything::default());
        assert_eq!(got.numbers, None);
        assert_eq!(got.note, None);
        assert_eq!(got.origin, None);
        assert_eq!(got.scalars.text, None);
        assert_eq!((got.retries, got.label.as_str()), (4, "unnamed"));
        assert_eq!(got.trump, Suit::SPADES);
    }
}
