//! The reading side of an import: CSV or a JSON array parsed and validated row by row, handed
//! to the writing side in chunks.

use std::io::Read;
use std::sync::Arc;

use domain::import::{ImportKind, Layout, ParsedRow, parse_row};

use super::report::*;

/// Rows handed from the reading thread to the writing one at a time.
pub(super) const CHUNK_ROWS: usize = 1024;
/// Chunks that may wait between the two threads.
pub(super) const PIPELINE_DEPTH: usize = 4;

/// What the reading thread found at one data row (1-based; the header is not counted).
pub(super) enum Item {
    Row { row: u64, layout: Arc<Layout>, parsed: ParsedRow },
    Invalid { row: u64, errors: Vec<RowError> },
}

/// The reading side: validates rows and passes them on in chunks.
pub(super) struct Feed {
    kind: ImportKind,
    tx: std::sync::mpsc::SyncSender<Vec<Item>>,
    chunk: Vec<Item>,
}

impl Feed {
    pub(super) fn new(kind: ImportKind, tx: std::sync::mpsc::SyncSender<Vec<Item>>) -> Feed {
        Feed { kind, tx, chunk: Vec::with_capacity(CHUNK_ROWS) }
    }

    fn reject(&mut self, row: u64, column: Option<String>, message: String) -> Result<(), ImportError> {
        self.item(Item::Invalid { row, errors: vec![RowError { row, column, message }] })
    }

    fn push(&mut self, row: u64, layout: &Arc<Layout>, fields: &[&str]) -> Result<(), ImportError> {
        let item = match parse_row(layout, fields) {
            Ok(parsed) => Item::Row { row, layout: Arc::clone(layout), parsed },
            Err(errors) => Item::Invalid {
                row,
                errors: errors.into_iter().map(|e| RowError { row, column: e.column, message: e.message }).collect(),
            },
        };
        self.item(item)
    }

    fn item(&mut self, item: Item) -> Result<(), ImportError> {
        self.chunk.push(item);
        if self.chunk.len() >= CHUNK_ROWS { self.send() } else { Ok(()) }
    }

    /// Hands the chunk over; fails when the writer has stopped (its error is the one reported).
    pub(super) fn send(&mut self) -> Result<(), ImportError> {
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK_ROWS));
        self.tx.send(chunk).map_err(|_| ImportError::WriterStopped)
    }
}

/// Feeds the importer from CSV, one record at a time (the reader buffers only a block).
pub(super) fn read_csv(body: impl Read, importer: &mut Feed) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(body);
    let header = reader.byte_headers().map_err(csv_error)?.clone();
    let names: Vec<&str> = header
        .iter()
        .map(|f| std::str::from_utf8(f).map_err(|_| ImportError::Header("the header is not UTF-8".into())))
        .collect::<Result<_, _>>()?;
    if names.iter().all(|n| n.trim().is_empty()) {
        return Err(ImportError::Header("the file is empty or has no header row".into()));
    }
    let layout = Arc::new(Layout::new(importer.kind, &names).map_err(ImportError::Header)?);
    let mut record = csv::ByteRecord::new();
    let mut row = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(e)),
        }
        row += 1;
        if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        if record.len() != names.len() {
            importer.reject(row, None, format!("has {} fields, the header has {}", record.len(), names.len()))?;
            continue;
        }
        let mut fields: Vec<&str> = Vec::with_capacity(names.len());
        let mut utf8 = true;
        for f in record.iter() {
            match std::str::from_utf8(f) {
                Ok(s) => fields.push(s),
                Err(_) => {
                    utf8 = false;
                    break;
                }
            }
        }
        if !utf8 {
            importer.reject(row, None, "is not valid UTF-8".into())?;
            continue;
        }
        importer.push(row, &layout, &fields)?;
    }
    Ok(())
}

pub(super) fn csv_error(e: csv::Error) -> ImportError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => ImportError::Io(io),
        other => {
            let row = match &other {
                csv::ErrorKind::Utf8 { pos, .. } | csv::ErrorKind::UnequalLengths { pos, .. } => {
                    pos.as_ref().map_or(0, |p| p.record().saturating_sub(0))
                }
                _ => 0,
            };
            ImportError::Syntax { row, message: format!("{other:?}") }
        }
    }
}

/// Feeds the importer from a JSON array of objects, streaming element by element. Keys absent
/// from an object leave the stored value untouched, like a column absent from a CSV file.
pub(super) fn read_json(body: impl Read, importer: &mut Feed) -> Result<(), ImportError> {
    use serde::de::{Deserializer as _, SeqAccess, Visitor};

    struct Rows<'a> {
        importer: &'a mut Feed,
        failure: &'a mut Option<ImportError>,
    }

    impl Rows<'_> {
        /// Keeps the first failure for the caller; serde only carries a message.
        fn fail<E: serde::de::Error>(&mut self, e: ImportError) -> E {
            *self.failure = Some(e);
            E::custom("import aborted")
        }
    }

    impl<'de> Visitor<'de> for Rows<'_> {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON array of objects")
        }

        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
            let mut row = 0u64;
            let mut layout: Option<(Vec<String>, Arc<Layout>)> = None;
            while let Some(value) = seq.next_element::<serde_json::Value>()? {
                row += 1;
                let serde_json::Value::Object(object) = value else {
                    let rejected = self.importer.reject(row, None, "is not a JSON object".into());
                    rejected.map_err(|e| self.fail(e))?;
                    continue;
                };
                let keys: Vec<String> = object.keys().cloned().collect();
                if layout.as_ref().is_none_or(|(k, _)| *k != keys) {
                    let names: Vec<&str> = keys.iter().map(String::as_str).collect();
                    match Layout::new(self.importer.kind, &names) {
                        Ok(l) => layout = Some((keys.clone(), Arc::new(l))),
                        Err(message) => {
                            let rejected = self.importer.reject(row, None, message);
                            rejected.map_err(|e| self.fail(e))?;
                            continue;
                        }
                    }
                }
                let texts: Vec<String> = object.values().map(json_cell).collect();
                let fields: Vec<&str> = texts.iter().map(String::as_str).collect();
                let (_, l) = layout.as_ref().expect("layout set above");
                let pushed = self.importer.push(row, l, &fields);
                pushed.map_err(|e| self.fail(e))?;
            }
            Ok(())
        }
    }

    let mut failure = None;
    let mut de = serde_json::Deserializer::from_reader(body);
    let outcome = de.deserialize_seq(Rows { importer, failure: &mut failure });
    if let Some(e) = failure {
        return Err(e);
    }
    match outcome.and_then(|()| de.end()) {
        Ok(()) => Ok(()),
        Err(e) if e.is_io() => Err(ImportError::Io(e.into())),
        Err(e) => Err(ImportError::Syntax { row: 0, message: format!("invalid JSON: {e}") }),
    }
}

pub(super) fn json_cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
