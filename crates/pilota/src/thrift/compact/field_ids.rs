//! The stack of "previous field id"s of the open structs.
//!
//! Compact field ids are deltas against the previous field of the same
//! struct, so entering a nested struct saves the outer one's last id and
//! leaving restores it. The first levels live inline, so encoding and
//! decoding usual messages does not allocate for it.

const INLINE: usize = 16;

#[derive(Debug, Clone, Default)]
pub(super) struct FieldIdStack {
    /// The last field id of the innermost open struct.
    pub(super) last: i16,
    inline: [i16; INLINE],
    len: usize,
    spilled: Vec<i16>,
}

impl FieldIdStack {
    /// Enters a struct: its field ids start again from 0.
    #[inline]
    pub(super) fn push(&mut self) {
        if self.len < INLINE {
            self.inline[self.len] = self.last;
        } else {
            self.spilled.push(self.last);
        }
        self.len += 1;
        self.last = 0;
    }

    /// Leaves a struct, restoring the outer struct's last id (0 at the top).
    #[inline]
    pub(super) fn pop(&mut self) {
        self.last = match self.len {
            0 => 0,
            n if n <= INLINE => self.inline[n - 1],
            _ => self.spilled.pop().unwrap_or(0),
        };
        self.len = self.len.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restores_outer_ids_past_the_inline_levels() {
        let mut s = FieldIdStack::default();
        for depth in 1..=40i16 {
            s.last = depth;
            s.push();
            assert_eq!(s.last, 0);
        }
        for depth in (1..=40i16).rev() {
            s.pop();
            assert_eq!(s.last, depth);
        }
        s.pop();
        assert_eq!(s.last, 0);
    }
}
