//! Snapshot format 1: the whole state of one height as a byte stream of
//! `be32(len(key)) key be32(len(value)) value` records in ascending key
//! order, cut into fixed-size chunks. The metadata lists every chunk's
//! sha256, so a restoring node checks each chunk as it arrives and can ask
//! CometBFT to refetch it from another peer; the snapshot hash is the
//! sha256 of the metadata. Every node writes the same bytes for the same
//! height, so peers offer identical snapshots and CometBFT can fetch one
//! snapshot's chunks from all of them.

use borsh::{BorshDeserialize, BorshSerialize};
use sha2::{Digest, Sha256};

pub const FORMAT: u32 = 1;
/// Chunk size: well under CometBFT's 16 MB p2p message limit.
pub const CHUNK_SIZE: usize = 4 << 20;
/// Largest key or value a record may declare (a corrupt length must not
/// make the restorer allocate gigabytes).
const MAX_ITEM: usize = 64 << 20;

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Metadata {
    /// sha256 of each chunk, in order.
    pub chunk_hashes: Vec<[u8; 32]>,
    /// Number of (key, value) records in the stream.
    pub records: u64,
    /// Length of the whole stream.
    pub total_bytes: u64,
}

impl Metadata {
    pub fn encode(&self) -> Vec<u8> {
        borsh::to_vec(self).expect("metadata encodes")
    }
    pub fn decode(bytes: &[u8]) -> Result<Self, FormatError> {
        let m = Metadata::try_from_slice(bytes).map_err(|e| FormatError(format!("metadata: {e}")))?;
        let chunks = m.chunk_hashes.len() as u64;
        let expected = m.total_bytes.div_ceil(CHUNK_SIZE as u64).max(1);
        if chunks != expected {
            return Err(FormatError(format!("metadata: {chunks} chunks for {} bytes (expected {expected})", m.total_bytes)));
        }
        Ok(m)
    }
    /// The snapshot hash CometBFT compares across peers.
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.encode()).into()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("snapshot format: {0}")]
pub struct FormatError(pub String);

pub fn chunk_hash(chunk: &[u8]) -> [u8; 32] {
    Sha256::digest(chunk).into()
}

/// Builds the stream and hands out full chunks as they fill.
pub struct ChunkWriter<F: FnMut(u32, &[u8]) -> std::io::Result<()>> {
    buf: Vec<u8>,
    hashes: Vec<[u8; 32]>,
    records: u64,
    total: u64,
    sink: F,
}

impl<F: FnMut(u32, &[u8]) -> std::io::Result<()>> ChunkWriter<F> {
    /// `sink(index, bytes)` receives each chunk once.
    pub fn new(sink: F) -> Self {
        ChunkWriter { buf: Vec::with_capacity(CHUNK_SIZE), hashes: Vec::new(), records: 0, total: 0, sink }
    }

    pub fn push(&mut self, key: &[u8], value: &[u8]) -> std::io::Result<()> {
        for item in [key, value] {
            self.write(&(item.len() as u32).to_be_bytes())?;
            self.write(item)?;
        }
        self.records += 1;
        Ok(())
    }

    fn write(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        while !bytes.is_empty() {
            let room = CHUNK_SIZE - self.buf.len();
            let n = room.min(bytes.len());
            self.buf.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
            self.total += n as u64;
            if self.buf.len() == CHUNK_SIZE {
                self.flush_chunk()?;
            }
        }
        Ok(())
    }

    fn flush_chunk(&mut self) -> std::io::Result<()> {
        let index = self.hashes.len() as u32;
        self.hashes.push(chunk_hash(&self.buf));
        (self.sink)(index, &self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// Writes the last (possibly partial, possibly empty) chunk.
    pub fn finish(mut self) -> std::io::Result<Metadata> {
        if !self.buf.is_empty() || self.hashes.is_empty() {
            self.flush_chunk()?;
        }
        Ok(Metadata { chunk_hashes: self.hashes, records: self.records, total_bytes: self.total })
    }
}

/// Parses the concatenated chunks back into records, refusing anything
/// malformed (truncated records, trailing bytes, unsorted or empty keys).
pub fn decode_stream(stream: &[u8], records: u64) -> Result<venice_store::KvPairs, FormatError> {
    let mut out = Vec::new();
    let mut rest = stream;
    let take = |rest: &mut &[u8]| -> Result<Vec<u8>, FormatError> {
        if rest.len() < 4 {
            return Err(FormatError("truncated record length".into()));
        }
        let len = u32::from_be_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
        if len == 0 || len > MAX_ITEM || rest.len() - 4 < len {
            return Err(FormatError(format!("bad record length {len}")));
        }
        let item = rest[4..4 + len].to_vec();
        *rest = &rest[4 + len..];
        Ok(item)
    };
    while !rest.is_empty() {
        let key = take(&mut rest)?;
        let value = take(&mut rest)?;
        if out.last().is_some_and(|(prev, _): &(Vec<u8>, Vec<u8>)| *prev >= key) {
            return Err(FormatError("keys are not in ascending order".into()));
        }
        out.push((key, value));
    }
    if out.len() as u64 != records {
        return Err(FormatError(format!("{} records, metadata says {records}", out.len())));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(pairs: &[(Vec<u8>, Vec<u8>)]) -> (Metadata, Vec<Vec<u8>>) {
        let mut chunks = Vec::new();
        let mut w = ChunkWriter::new(|i, c: &[u8]| {
            assert_eq!(i as usize, chunks.len());
            chunks.push(c.to_vec());
            Ok(())
        });
        for (k, v) in pairs {
            w.push(k, v).unwrap();
        }
        let m = w.finish().unwrap();
        (m, chunks)
    }

    #[test]
    fn round_trip_across_chunk_boundaries() {
        // Values of 1.5 chunks force records to straddle chunk boundaries.
        let pairs: Vec<_> = (0u8..5).map(|i| (vec![b'k', i], vec![i; CHUNK_SIZE * 3 / 2])).collect();
        let (m, chunks) = write(&pairs);
        assert_eq!(chunks.len(), m.chunk_hashes.len());
        assert!(chunks.len() > 5);
        for (c, h) in chunks.iter().zip(&m.chunk_hashes) {
            assert_eq!(chunk_hash(c), *h);
        }
        let meta = Metadata::decode(&m.encode()).unwrap();
        assert_eq!(meta, m);
        let stream: Vec<u8> = chunks.concat();
        assert_eq!(stream.len() as u64, m.total_bytes);
        assert_eq!(decode_stream(&stream, m.records).unwrap(), pairs);
    }

    #[test]
    fn empty_state_is_one_empty_chunk() {
        let (m, chunks) = write(&[]);
        assert_eq!(chunks, vec![Vec::<u8>::new()]);
        assert_eq!(decode_stream(&[], m.records).unwrap(), vec![]);
        Metadata::decode(&m.encode()).unwrap();
    }

    #[test]
    fn malformed_streams_are_refused() {
        let (m, chunks) = write(&[(b"a".to_vec(), b"1".to_vec()), (b"b".to_vec(), b"2".to_vec())]);
        let stream = chunks.concat();
        assert!(decode_stream(&stream[..stream.len() - 1], m.records).is_err(), "truncated");
        assert!(decode_stream(&stream, m.records + 1).is_err(), "record count");
        let mut swapped = write(&[(b"b".to_vec(), b"2".to_vec()), (b"a".to_vec(), b"1".to_vec())]).1.concat();
        assert!(decode_stream(&swapped, 2).is_err(), "unsorted");
        swapped[3] = 0; // key length 0
        assert!(decode_stream(&swapped, 2).is_err(), "empty key");
        let mut bad = m.clone();
        bad.chunk_hashes.push([0; 32]);
        assert!(Metadata::decode(&bad.encode()).is_err(), "chunk count must fit the size");
    }
}
