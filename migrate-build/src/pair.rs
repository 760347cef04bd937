//! `Pair { previous, next }`: the two sides of a diff, carried together so
//! that code comparing them cannot mix up which is which.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair<T> {
    pub previous: T,
    pub next: T,
}

impl<T> Pair<T> {
    pub fn new(previous: T, next: T) -> Self {
        Pair { previous, next }
    }

    pub fn as_ref(&self) -> Pair<&T> {
        Pair::new(&self.previous, &self.next)
    }

    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Pair<U> {
        Pair::new(f(self.previous), f(self.next))
    }
}

impl<T: PartialEq> Pair<T> {
    pub fn differ(&self) -> bool {
        self.previous != self.next
    }
}

#[cfg(test)]
mod tests {
    use super::Pair;

    #[test]
    fn map_keeps_sides_apart() {
        let pair = Pair::new(1, 2).map(|n| n * 10);
        assert_eq!(pair, Pair::new(10, 20));
        assert!(pair.differ());
        assert!(!Pair::new("a", "a").differ());
    }
}
