//! Decodes arbitrary bytes layer by layer (base64, percent-encoding, JSON escapes, Postman
//! collections), as the scan does before matching.
//!
//! Besides "no panic" it checks what the scan relies on to report a decoded secret at the right
//! place: no layer beyond the depth limit, pieces sorted and disjoint inside their layer, each
//! piece's origin a span of the scanned bytes, one encoding per level, and a Postman piece (no
//! encoding) mapping back to the very bytes it was read from.

#![no_main]

use keysift::decode::{self, Layer, MAX_DEPTH};
use libfuzzer_sys::fuzz_target;

fn check(hay: &[u8], layer: &Layer, depth: Option<usize>) {
    let mut end = 0;
    for p in &layer.pieces {
        assert!(p.at.start >= end, "pieces overlap or are unsorted");
        assert!(
            p.at.start <= p.at.end && p.at.end <= layer.buf.len(),
            "piece outside its layer"
        );
        assert!(
            p.origin.start <= p.origin.end && p.origin.end <= hay.len(),
            "origin outside the input"
        );
        match depth {
            Some(d) => assert_eq!(p.chain.len(), d, "one encoding per level"),
            None => {
                if p.chain.is_empty() {
                    assert_eq!(
                        &layer.buf[p.at.clone()],
                        &hay[p.origin.clone()],
                        "verbatim piece moved"
                    );
                }
            }
        }
        end = p.at.end;
    }
}

fuzz_target!(|hay: &[u8]| {
    let mut depth = 0;
    decode::layers(hay, |layer| {
        depth += 1;
        assert!(depth <= MAX_DEPTH, "layer {depth} beyond the depth limit");
        check(hay, layer, Some(depth));
    });
    if let Some(layer) = decode::postman::layer(hay) {
        check(hay, &layer, None);
    }
});
