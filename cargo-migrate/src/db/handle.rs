//! A connection the driver opened, or one the application lent it: the
//! drivers run the same code on both.

use std::ops::{Deref, DerefMut};

pub enum Handle<'a, T> {
    Owned(T),
    Borrowed(&'a mut T),
}

impl<T> Deref for Handle<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Handle::Owned(t) => t,
            Handle::Borrowed(t) => t,
        }
    }
}

impl<T> DerefMut for Handle<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        match self {
            Handle::Owned(t) => t,
            Handle::Borrowed(t) => t,
        }
    }
}
