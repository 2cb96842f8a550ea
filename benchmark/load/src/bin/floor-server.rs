//! The floor: the least work a server can do per echo call, to bound what
//! any framework's server CPU per call can reach on this machine. No Thrift
//! decoding, no service, no context: each TTHeader + binary echo request is
//! (framed or not inside) turned into its reply by patching two fields in place (the message type,
//! and the outer field id 1 of `echo_args` into 0 of `echo_result`, which
//! have the same layout here), and every complete request a read brings is
//! answered with one write. The TTHeader info of the request goes back as it
//! came, which this repository's client accepts; the point is the syscalls
//! and the kernel's TCP work per call, which every server pays.
//!
//! `--addr HOST:PORT --threads N`, like the other servers; `--transport` is
//! accepted and ignored (replies go in request order, which both transports
//! accept).

use std::io;

use load_harness::{Parser, ServerArgs};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// Bytes before the TTHeader header area: LENGTH, MAGIC, FLAGS, SEQ, HS.
const FIXED: usize = 14;
/// The largest frame this server takes.
const MAX_FRAME: usize = 16 << 20;

fn main() -> io::Result<()> {
    let args = ServerArgs::parse();
    load_harness::runtime(args.threads)?.block_on(async {
        let listener = TcpListener::bind(args.addr).await?;
        println!("listening on {}", listener.local_addr()?);
        loop {
            let (stream, _) = listener.accept().await?;
            stream.set_nodelay(true)?;
            tokio::spawn(async move {
                if let Err(e) = serve(stream).await {
                    eprintln!("connection closed: {e}");
                }
            });
        }
    })
}

async fn serve(mut stream: TcpStream) -> io::Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut filled = 0;
    loop {
        let n = stream.read(&mut buf[filled..]).await?;
        if n == 0 {
            return Ok(());
        }
        filled += n;
        let mut done = 0;
        while let Some(len) = frame_len(&buf[done..filled])? {
            if done + len > filled {
                if len > buf.len() {
                    buf.resize(len, 0);
                }
                break;
            }
            into_reply(&mut buf[done..done + len])?;
            done += len;
        }
        if done > 0 {
            stream.write_all(&buf[..done]).await?;
            buf.copy_within(done..filled, 0);
            filled -= done;
        }
    }
}

/// The length of the frame at the start of `buf`, once its length is there.
fn frame_len(buf: &[u8]) -> io::Result<Option<usize>> {
    let Some(len) = buf.first_chunk::<4>() else {
        return Ok(None);
    };
    let len = u32::from_be_bytes(*len) as usize + 4;
    if !(FIXED..=MAX_FRAME).contains(&len) {
        return Err(invalid("frame length out of range"));
    }
    Ok(Some(len))
}

/// Turns a TTHeader + strict binary `echo` call into its reply, in place.
fn into_reply(frame: &mut [u8]) -> io::Result<()> {
    if frame[4..6] != [0x10, 0x00] {
        return Err(invalid("not TTHeader"));
    }
    let area = usize::from(u16::from_be_bytes([frame[12], frame[13]])) * 4;
    // The payload may be framed itself (TTHeader + framed): skip its length.
    let mut msg = FIXED + area;
    if frame.get(msg..msg + 2) != Some(&[0x80, 0x01]) {
        msg += 4;
    }
    let name_len = frame
        .get(msg + 4..msg + 8)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or_else(|| invalid("short message"))?;
    let field = msg + 8 + name_len + 4;
    match frame.get(msg..msg + 4) {
        Some([0x80, 0x01, _, 1]) if frame.get(field..field + 3) == Some(&[0x0c, 0, 1]) => {}
        _ => return Err(invalid("not a strict binary echo call")),
    }
    frame[msg + 3] = 2;
    frame[field + 2] = 0;
    Ok(())
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what)
}
