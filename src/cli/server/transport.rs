//! stdio framing. lsp-server's own stdio transport ends the session on the first payload that is
//! not an LSP message; an editor (or a person typing into the pipe) deserves a JSON-RPC error and a
//! server that carries on, so the reader here answers such payloads itself.

use crossbeam_channel::{bounded, select, unbounded, Receiver, Sender};
use lsp_server::{Connection, Message};
use serde_json::{json, Value};
use std::io::{self, BufRead, Write};
use std::thread::{self, JoinHandle};

/// The reader and writer threads; `join` after the connection is dropped.
pub struct Threads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    pub fn join(self) -> io::Result<()> {
        // The reader may still be blocked on stdin after `exit` when the client keeps the pipe
        // open; it holds nothing, so the process may end without it.
        let writer = self
            .writer
            .join()
            .map_err(|_| io::Error::other("the writer thread panicked"))?;
        if self.reader.is_finished() {
            self.reader
                .join()
                .map_err(|_| io::Error::other("the reader thread panicked"))??;
        }
        writer
    }
}

/// A connection over stdin and stdout.
pub fn stdio() -> (Connection, Threads) {
    let (to_writer, writer_rx) = bounded::<Message>(0);
    let (raw_tx, raw_rx) = unbounded::<Value>();
    let (reader_tx, from_reader) = bounded::<Message>(0);
    let writer = thread::spawn(move || write_loop(writer_rx, raw_rx));
    let reader = thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        read_loop(&mut input, &reader_tx, &raw_tx)
    });
    (
        Connection {
            sender: to_writer,
            receiver: from_reader,
        },
        Threads { reader, writer },
    )
}

fn write_loop(messages: Receiver<Message>, raw: Receiver<Value>) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut raw = Some(raw);
    loop {
        let never = crossbeam_channel::never();
        select! {
            recv(messages) -> m => match m {
                Ok(m) => m.write(&mut out)?,
                // The server is done: what it sent is written.
                Err(_) => return out.flush(),
            },
            recv(raw.as_ref().unwrap_or(&never)) -> v => match v {
                Ok(v) => {
                    let body = v.to_string();
                    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
                    out.flush()?;
                }
                Err(_) => raw = None,
            },
        }
    }
}

/// A JSON-RPC error response, for payloads that never became a message.
fn error_response(id: Value, code: i32, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// Read framed messages until `exit`, end of input, or a header that cannot be framed (then the
/// error is answered and the session ends: without a length the next message cannot be found).
pub fn read_loop(
    input: &mut impl BufRead,
    messages: &Sender<Message>,
    raw: &Sender<Value>,
) -> io::Result<()> {
    loop {
        let body = match read_frame(input) {
            Ok(Some(b)) => b,
            Ok(None) => return Ok(()),
            Err(e) => {
                let _ = raw.send(error_response(
                    Value::Null,
                    -32700,
                    format!("cannot read the message framing: {e}"),
                ));
                return Err(e);
            }
        };
        let value: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                let _ = raw.send(error_response(
                    Value::Null,
                    -32700,
                    format!("the message is not JSON: {e}"),
                ));
                continue;
            }
        };
        let id = value.get("id").cloned().unwrap_or(Value::Null);
        match serde_json::from_value::<Message>(value) {
            Ok(msg) => {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if messages.send(msg).is_err() || exit {
                    return Ok(());
                }
            }
            Err(e) => {
                // A notification gets no answer, whatever is wrong with it (JSON-RPC 2.0).
                if !id.is_null() || !body.windows(8).any(|w| w == b"\"method\"") {
                    let _ = raw.send(error_response(
                        id,
                        -32600,
                        format!("not a JSON-RPC request, response or notification: {e}"),
                    ));
                }
            }
        }
    }
}

/// One message's body; `None` at the end of input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length = None;
    let mut line = String::new();
    let mut first = true;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return if first {
                Ok(None)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the input ended inside a header",
                ))
            };
        }
        first = false;
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        let Some((name, value)) = l.split_once(':') else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a header line without `:`: {:?}", truncate(l)),
            ));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(value.trim().parse::<usize>().map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("Content-Length is not a number: {:?}", truncate(value)),
                )
            })?);
        }
    }
    let Some(length) = length else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a message without Content-Length",
        ));
    };
    // Documents are limited to a few MiB by the linter; a frame far beyond that is refused
    // instead of allocated.
    if length > 64 << 20 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a message of {length} bytes (more than 64 MiB)"),
        ));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_payloads_are_answered_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc": "2.0", "id": 7, "method": 3}"#),
            frame(r#"{"jsonrpc": "2.0", "method": "exit"}"#),
            frame(r#"{"jsonrpc": "2.0", "method": "never-read"}"#),
        ]
        .concat();
        let (tx, rx) = unbounded();
        let (raw_tx, raw_rx) = unbounded();
        let r = read_loop(&mut input.as_bytes(), &tx, &raw_tx);
        assert!(r.is_ok());
        let raw: Vec<Value> = raw_rx.try_iter().collect();
        assert_eq!(raw.len(), 2);
        assert_eq!(raw[0]["error"]["code"], -32700);
        assert_eq!(raw[0]["id"], Value::Null);
        assert_eq!(raw[1]["error"]["code"], -32600);
        assert_eq!(raw[1]["id"], 7);
        let got: Vec<Message> = rx.try_iter().collect();
        assert_eq!(
            got.len(),
            1,
            "only `exit` is passed on, and reading stops there"
        );
    }

    #[test]
    fn broken_framing_is_an_error_not_a_hang() {
        let (tx, _rx) = unbounded();
        let (raw_tx, raw_rx) = unbounded();
        let r = read_loop(&mut "Content-Type: x\r\n\r\n{}".as_bytes(), &tx, &raw_tx);
        assert!(r.is_err());
        assert_eq!(raw_rx.try_iter().count(), 1);
        let r = read_loop(&mut "Content-Length: 99\r\n\r\n{}".as_bytes(), &tx, &raw_tx);
        assert!(r.is_err(), "a short body");
    }
}
