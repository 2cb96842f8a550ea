//! Every method of the generated `Kitchen` service (which extends `Base` from
//! another module) end to end: every argument and result type, both declared
//! exceptions, `void` with and without exceptions, oneway, inherited methods.

mod common;

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use common::{CLIENT_FORMATS, eventually, serve};
use pilota::{Bytes, FastStr, thrift::ApplicationExceptionKind};
use volo_codegen_tests::{
    all::{
        Color, Everything, InvalidArgument, Kitchen, KitchenClient, KitchenHandlerError,
        KitchenResetException, KitchenServer, KitchenSumException, Scalars, Shape, Unavailable,
    },
    base::{Base, BaseHandlerError, BaseLookupException, NotFound},
};
use volo_thrift::codec::Format;

#[derive(Default)]
struct Handler {
    resets: AtomicUsize,
    nothings: AtomicUsize,
    events: Mutex<Vec<FastStr>>,
}

impl Base for Handler {
    async fn ping(&self, who: FastStr) -> Result<FastStr, motore::BoxError> {
        Ok(FastStr::from_string(format!("pong {who}")))
    }

    async fn lookup(&self, key: FastStr) -> Result<i32, BaseHandlerError<BaseLookupException>> {
        match key.as_str() {
            "one" => Ok(1),
            "boom" => Err(BaseHandlerError::other("lookup exploded")),
            _ => Err(NotFound {
                key,
                ..Default::default()
            }
            .into()),
        }
    }
}

impl Kitchen for Handler {
    async fn roundtrip(&self, value: Everything) -> Result<Everything, motore::BoxError> {
        Ok(value)
    }

    #[allow(clippy::too_many_arguments)]
    async fn scalars(
        &self,
        b: bool,
        i8v: i8,
        i16v: i16,
        i32v: i32,
        i64v: i64,
        f64v: f64,
        s: FastStr,
        bin: Bytes,
        id: [u8; 16],
        color: Color,
        opt: i32,
        req: FastStr,
        names: Vec<FastStr>,
        counts: HashMap<FastStr, i64>,
        shape: Shape,
    ) -> Result<Scalars, motore::BoxError> {
        // Fold everything that is not a `Scalars` field into the fields that are.
        let extra: i64 = counts.values().sum::<i64>() + i64::from(opt) + i64::from(color.0);
        let label = match shape {
            Shape::Label(l) => l,
            other => return Err(format!("unexpected shape {other:?}").into()),
        };
        Ok(Scalars {
            b: !b,
            i8v: i8v.wrapping_neg(),
            i16v: i16v * 2,
            i32v: i32v + 1,
            i64v: i64v + extra,
            f64v: f64v * 2.0,
            s: Some(FastStr::from_string(format!(
                "{s}/{req}/{}/{label}",
                names.join(",")
            ))),
            bin: Some(bin),
            id: Some(id),
            ..Default::default()
        })
    }

    async fn sum(
        &self,
        values: Vec<i64>,
        at: i64,
    ) -> Result<i64, KitchenHandlerError<KitchenSumException>> {
        if values.is_empty() {
            return Err(InvalidArgument {
                field: Some("values".into()),
                code: 400,
                ..Default::default()
            }
            .into());
        }
        if at < 0 {
            return Err(Unavailable {
                reason: Some("the past is closed".into()),
                ..Default::default()
            }
            .into());
        }
        values
            .iter()
            .try_fold(0i64, |acc, v| acc.checked_add(*v))
            .ok_or_else(|| KitchenHandlerError::other("overflow"))
    }

    async fn reset(&self) -> Result<(), KitchenHandlerError<KitchenResetException>> {
        if self.resets.fetch_add(1, Ordering::SeqCst) % 2 == 1 {
            return Err(Unavailable {
                reason: Some("busy".into()),
                ..Default::default()
            }
            .into());
        }
        Ok(())
    }

    async fn nothing(&self) -> Result<(), motore::BoxError> {
        self.nothings.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn record(&self, event: FastStr) -> Result<(), motore::BoxError> {
        self.events.lock().unwrap().push(event);
        Ok(())
    }

    async fn pick(&self, colors: HashSet<Color>) -> Result<Color, motore::BoxError> {
        colors
            .into_iter()
            .max_by_key(|c| c.0)
            .ok_or_else(|| "no colors".into())
    }

    async fn reshape(&self, shape: Shape) -> Result<Shape, motore::BoxError> {
        Ok(match shape {
            Shape::Radius(r) => Shape::Sides(vec![r as i32; 3]),
            Shape::Sides(s) => Shape::Label(FastStr::from_string(format!("{} sides", s.len()))),
            Shape::Label(l) => Shape::Radius(l.len() as f64),
            unknown => unknown,
        })
    }
}

fn scalars(n: i64) -> Scalars {
    Scalars {
        b: true,
        i8v: -8,
        i16v: -16,
        i32v: 32,
        i64v: n,
        f64v: 0.5,
        s: Some("s".into()),
        bin: Some(Bytes::from_static(&[0, 1, 255])),
        id: Some([7; 16]),
        ..Default::default()
    }
}

/// An `Everything` with every field set, nested containers included.
fn everything() -> Everything {
    Everything {
        scalars: scalars(1),
        color: Some(Color::BLUE),
        default_color: Color::RED,
        at: 1_700_000_000,
        names: Some(vec!["a".into(), "é".into()]),
        matrix: Some(vec![vec![1, 2], vec![], vec![-3]]),
        tags: Some(HashSet::from(["x".into(), "y".into()])),
        shapes: Some(HashMap::from([
            ("round".into(), vec![Shape::Radius(1.5)]),
            (
                "mixed".into(),
                vec![Shape::Sides(vec![1, 2]), Shape::Label("l".into())],
            ),
        ])),
        nested: Some(HashMap::from([(
            5,
            HashMap::from([("k".into(), HashSet::from([1i64, -1]))]),
        )])),
        shape: Some(Shape::Label("shape".into())),
        with_default: 7,
        must: "must".into(),
        many: Some(vec![scalars(2), Scalars::default()]),
        ..Default::default()
    }
}

#[tokio::test]
async fn every_method_over_every_codec() {
    let handler = Arc::new(Handler::default());
    let server = serve(KitchenServer::from_arc(Arc::clone(&handler))).await;
    for (i, format) in CLIENT_FORMATS.into_iter().enumerate() {
        let builder = KitchenClient::builder("kitchen")
            .address(server.addr)
            .format(format);
        let client = if i % 2 == 0 {
            builder.build()
        } else {
            builder.multiplex().build()
        };

        // Inherited methods.
        assert_eq!(client.ping("me".into()).await.unwrap(), "pong me");
        assert_eq!(client.lookup("one".into()).await.unwrap(), 1);
        let e = client.lookup("two".into()).await.unwrap_err();
        assert_eq!(
            e.exception(),
            Some(&BaseLookupException::NotFound(NotFound {
                key: "two".into(),
                ..Default::default()
            }))
        );
        let e = client.lookup("boom".into()).await.unwrap_err();
        let app = e
            .client_error()
            .and_then(|c| c.application_exception())
            .unwrap();
        assert_eq!(app.kind(), ApplicationExceptionKind::INTERNAL_ERROR);
        assert!(app.message().contains("lookup exploded"), "{app}");

        // Every type through a struct.
        assert_eq!(
            client.roundtrip(everything()).await.unwrap(),
            everything(),
            "{format:?}"
        );

        // Every argument type.
        let got = client
            .scalars(
                true,
                -8,
                300,
                41,
                1,
                1.25,
                "s".into(),
                Bytes::from_static(b"bin"),
                [9; 16],
                Color::GREEN,
                10,
                "req".into(),
                vec!["a".into(), "b".into()],
                HashMap::from([("x".into(), 100)]),
                Shape::Label("lbl".into()),
            )
            .await
            .unwrap();
        assert_eq!(
            got,
            Scalars {
                b: false,
                i8v: 8,
                i16v: 600,
                i32v: 42,
                i64v: 1 + 100 + 10 + 2,
                f64v: 2.5,
                s: Some("s/req/a,b/lbl".into()),
                bin: Some(Bytes::from_static(b"bin")),
                id: Some([9; 16]),
                ..Default::default()
            }
        );

        // Both declared exceptions arrive typed; an undeclared error does not.
        assert_eq!(client.sum(vec![1, 2, 3], 0).await.unwrap(), 6);
        let e = client.sum(vec![], 0).await.unwrap_err();
        match e.exception() {
            Some(KitchenSumException::Invalid(inv)) => {
                assert_eq!((inv.field.as_deref(), inv.code), (Some("values"), 400));
            }
            other => panic!("not `invalid`: {other:?}"),
        }
        let e = client.sum(vec![1], -1).await.unwrap_err();
        assert!(
            matches!(e.exception(), Some(KitchenSumException::Unavailable(u)) if u.reason.as_deref() == Some("the past is closed")),
            "{e:?}"
        );
        let e = client.sum(vec![i64::MAX, 1], 0).await.unwrap_err();
        assert!(e.exception().is_none());
        assert!(e.to_string().contains("overflow"), "{e}");

        // `void` with and without exceptions.
        let resets_before = handler.resets.load(Ordering::SeqCst);
        let outcomes = [client.reset().await, client.reset().await];
        assert_eq!(handler.resets.load(Ordering::SeqCst), resets_before + 2);
        assert_eq!(
            outcomes.iter().filter(|r| r.is_ok()).count(),
            1,
            "{outcomes:?}"
        );
        let failed = outcomes.into_iter().find_map(Result::err).unwrap();
        assert!(matches!(
            failed.exception(),
            Some(KitchenResetException::Unavailable(_))
        ));
        let nothings = handler.nothings.load(Ordering::SeqCst);
        client.nothing().await.unwrap();
        assert_eq!(handler.nothings.load(Ordering::SeqCst), nothings + 1);

        // Oneway.
        let event = FastStr::from_string(format!("event {i}"));
        client.record(event.clone()).await.unwrap();
        assert!(eventually(|| handler.events.lock().unwrap().contains(&event)).await);

        // Enums in sets, unions both ways.
        let colors = HashSet::from([Color::RED, Color::BLUE, Color(99)]);
        assert_eq!(client.pick(colors).await.unwrap(), Color(99));
        let e = client.pick(HashSet::new()).await.unwrap_err();
        assert_eq!(
            e.application_exception().map(|a| a.kind()),
            Some(ApplicationExceptionKind::INTERNAL_ERROR)
        );
        assert_eq!(
            client.reshape(Shape::Radius(2.0)).await.unwrap(),
            Shape::Sides(vec![2, 2, 2])
        );
        assert_eq!(
            client.reshape(Shape::Sides(vec![1])).await.unwrap(),
            Shape::Label("1 sides".into())
        );
        assert_eq!(
            client.reshape(Shape::Label("abc".into())).await.unwrap(),
            Shape::Radius(3.0)
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn clients_are_cheap_clones_sharing_connections() {
    let server = serve(KitchenServer::new(Handler::default())).await;
    let client = KitchenClient::builder("kitchen")
        .address(server.addr)
        .format(Format::default())
        .build();
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.sum(vec![i, i], 0).await.unwrap() })
        })
        .collect();
    for (i, t) in tasks.into_iter().enumerate() {
        assert_eq!(t.await.unwrap(), 2 * i as i64);
    }
    server.stop().await;
}
