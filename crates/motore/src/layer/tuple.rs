//! [`Layer`] for tuples of layers, first element outermost.

use super::Layer;

/// No layers: the service is returned unchanged.
impl<S> Layer<S> for () {
    type Service = S;

    fn layer(self, inner: S) -> S {
        inner
    }
}

/// Implements `Layer` for a tuple of the given layers, and then for each shorter tuple
/// made by dropping the first element. `(A, rest..)` applies `rest..` first (innermost),
/// then `A` around it.
macro_rules! tuple_layer {
    ($First:ident $first:ident $(, $Rest:ident $rest:ident)*) => {
        impl<S, $First, $($Rest,)*> Layer<S> for ($First, $($Rest,)*)
        where
            ($($Rest,)*): Layer<S>,
            $First: Layer<<($($Rest,)*) as Layer<S>>::Service>,
        {
            type Service = <$First as Layer<<($($Rest,)*) as Layer<S>>::Service>>::Service;

            fn layer(self, inner: S) -> Self::Service {
                let ($first, $($rest,)*) = self;
                $first.layer(($($rest,)*).layer(inner))
            }
        }

        tuple_layer!($($Rest $rest),*);
    };
    () => {};
}

tuple_layer!(
    L1 l1, L2 l2, L3 l3, L4 l4, L5 l5, L6 l6, L7 l7, L8 l8, L9 l9, L10 l10, L11 l11, L12 l12
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::{LayerFn, layer_fn};

    fn wrap(name: &'static str) -> LayerFn<impl FnOnce(String) -> String> {
        layer_fn(move |s: String| format!("{name}({s})"))
    }

    #[test]
    fn empty_tuple_is_identity() {
        assert_eq!(().layer(5), 5);
    }

    #[test]
    fn first_element_is_outermost() {
        assert_eq!((wrap("a"),).layer("s".to_owned()), "a(s)");
        assert_eq!(
            (wrap("a"), wrap("b"), wrap("c")).layer("s".to_owned()),
            "a(b(c(s)))"
        );
    }

    #[test]
    fn twelve_layers() {
        let layers = (
            wrap("1"),
            wrap("2"),
            wrap("3"),
            wrap("4"),
            wrap("5"),
            wrap("6"),
            wrap("7"),
            wrap("8"),
            wrap("9"),
            wrap("10"),
            wrap("11"),
            wrap("12"),
        );
        assert_eq!(
            layers.layer("s".to_owned()),
            "1(2(3(4(5(6(7(8(9(10(11(12(s))))))))))))"
        );
    }
}
