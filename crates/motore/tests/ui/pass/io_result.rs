//! A return type that cannot be split (`io::Result<T>`) with the associated types
//! declared by hand.

use std::io;

use motore::{Service, service};

struct Len;

#[service]
impl Service<(), Vec<u8>> for Len {
    type Response = usize;
    type Error = io::Error;

    async fn call(&self, _cx: &mut (), req: Vec<u8>) -> io::Result<usize> {
        if req.is_empty() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "empty"));
        }
        Ok(req.len())
    }
}

/// The same, through a user type alias and `Self::` in the signature.
type Outcome<T> = Result<T, String>;

struct Upper;

#[service]
impl Service<(), String> for Upper {
    type Response = String;
    type Error = String;

    async fn call(&self, _cx: &mut (), req: String) -> Outcome<Self::Response> {
        Ok(req.to_uppercase())
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert_eq!(Len.call(&mut (), vec![1, 2]).await.unwrap(), 2);
    let err = Len.call(&mut (), Vec::new()).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert_eq!(Upper.call(&mut (), "ab".to_owned()).await, Ok("AB".to_owned()));
}
