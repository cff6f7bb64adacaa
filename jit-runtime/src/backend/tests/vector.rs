//! The vector instructions on the host's backend, lane by lane against the
//! MIR evaluator's scalar functions (which define each lane) and
//! [`reduce_lanes`]: every operator on vectors of edge values, masks
//! through `select`, splats, lane reductions, fused multiply-adds (the
//! vector instruction where the target has it, the split into lanes of
//! `Builder::fma_lanes` everywhere), and many vectors live at once
//! so that some spill (16-byte slots) and come back whole. The 256-bit
//! types (`F32x8`, `F64x4`, `I64x4`) run the same checks at the native
//! level where the host has them (`backend::vector_bits`; skipped
//! elsewhere), with 32-byte spill slots and a helper call between them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::{CHOICES, LEVELS, compile_or_panic};
use crate::backend::{IsaLevel, has_byte_tables, has_vector_fma, vector_bits};
use crate::exec::CompiledCode;
use crate::mir::eval::{binary, compare, fma_lanes, reduce_lanes, unary};
use crate::mir::{BinOp, Builder, CmpOp, Ty, UnOp};

/// Edge values of `lane`, as bit patterns.
fn edges(lane: Ty) -> Vec<u64> {
    let f64s = [
        0.0,
        -0.0,
        1.0,
        -1.5,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE / 4.0,
        1e300,
        -7.25,
        3.0,
        0.5,
    ];
    match lane {
        Ty::F32 => f64s
            .iter()
            .map(|&v| u64::from((v as f32).to_bits()))
            .collect(),
        _ => f64s.iter().map(|&v: &f64| v.to_bits()).collect(),
    }
}

fn store_lanes(lane: Ty, buf: &mut [u8], k: usize, bits: u64) {
    let size = lane.size_of() as usize;
    buf[k * size..(k + 1) * size].copy_from_slice(&bits.to_le_bytes()[..size]);
}

fn load_lanes(lane: Ty, buf: &[u8], k: usize) -> u64 {
    let size = lane.size_of() as usize;
    let mut bytes = [0u8; 8];
    bytes[..size].copy_from_slice(&buf[k * size..(k + 1) * size]);
    u64::from_le_bytes(bytes)
}

fn same(lane: Ty, a: u64, b: u64) -> bool {
    let nan = |x: u64| match lane {
        Ty::F32 => f32::from_bits(x as u32).is_nan(),
        _ => f64::from_bits(x).is_nan(),
    };
    a == b || (nan(a) && nan(b))
}

/// The ISA levels that compile vectors of `vty`: every level for 128 bits,
/// the native one for 256 bits where the host has them, else none.
fn levels(vty: Ty) -> Vec<IsaLevel> {
    if !vty.is_wide() {
        LEVELS.to_vec()
    } else if vector_bits(IsaLevel::Native) >= 256 {
        vec![IsaLevel::Native]
    } else {
        Vec::new()
    }
}

/// The float vector types: 128-bit ones, then 256-bit ones.
const FLOAT_VECTORS: [Ty; 4] = [Ty::F32x4, Ty::F64x2, Ty::F32x8, Ty::F64x4];

/// Runs `body(builder, x, y) -> (vector result, scalar result)` on vectors
/// `x`, `y` loaded from two buffers, storing the vector to a third buffer
/// and the scalar to result slot 0, at every ISA level that has `vty`
/// ([`levels`]) with every allocator.
fn run(
    vty: Ty,
    xs: &[u64],
    ys: &[u64],
    body: &dyn Fn(
        &mut Builder,
        crate::mir::Value,
        crate::mir::Value,
    ) -> (crate::mir::Value, crate::mir::Value),
) -> Vec<(Vec<u64>, u64)> {
    let lane = vty.lane();
    let lanes = vty.lanes() as usize;
    let mut b = Builder::new("vector");
    let (px, py, pz) = (b.arg(Ty::I64, 0), b.arg(Ty::I64, 1), b.arg(Ty::I64, 2));
    let zero = b.iconst(Ty::I64, 0);
    let x = b.load(vty, px, zero);
    let y = b.load(vty, py, zero);
    let (v, s) = body(&mut b, x, y);
    b.store(pz, zero, v);
    b.store_result(0, s);
    b.ret();
    let func = b.finish();
    // Samples share their function: compile it once per level and allocator.
    thread_local! {
        static CODES: RefCell<HashMap<String, Rc<Vec<CompiledCode>>>> = Default::default();
    }
    let codes = CODES.with(|codes| {
        let mut codes = codes.borrow_mut();
        codes
            .entry(func.to_string())
            .or_insert_with(|| {
                let compiled = levels(vty)
                    .into_iter()
                    .flat_map(|isa| CHOICES.map(|choice| (isa, choice)))
                    .map(|(isa, choice)| compile_or_panic(&func, isa, choice))
                    .collect();
                Rc::new(compiled)
            })
            .clone()
    });
    let mut outs = Vec::new();
    for code in codes.iter() {
        {
            let size = lane.size_of() as usize * lanes;
            let (mut bx, mut by, mut bz) = (vec![0u8; size], vec![0u8; size], vec![0u8; size]);
            for k in 0..lanes {
                store_lanes(lane, &mut bx, k, xs[k]);
                store_lanes(lane, &mut by, k, ys[k]);
            }
            let args = [
                bx.as_ptr() as u64,
                by.as_ptr() as u64,
                bz.as_mut_ptr() as u64,
            ];
            let results = super::call(code, &args, 1);
            let lanes_out = (0..lanes).map(|k| load_lanes(lane, &bz, k)).collect();
            outs.push((lanes_out, results[0]));
        }
    }
    outs
}

/// Lane tuples drawn from the edge values: every value in every lane.
fn samples(lane: Ty, lanes: usize) -> Vec<(Vec<u64>, Vec<u64>)> {
    let e = edges(lane);
    let mut out = Vec::new();
    for i in 0..e.len() {
        for j in 0..e.len() {
            let xs = (0..lanes).map(|k| e[(i + k) % e.len()]).collect();
            let ys = (0..lanes).map(|k| e[(j + 3 * k) % e.len()]).collect();
            out.push((xs, ys));
        }
    }
    out
}

#[test]
fn lanewise_operators_agree_with_the_evaluator() {
    for vty in FLOAT_VECTORS {
        let lane = vty.lane();
        let lanes = vty.lanes() as usize;
        let ops = [
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::Min,
            BinOp::Max,
        ];
        for (xs, ys) in samples(lane, lanes) {
            for op in ops {
                // The vector result, and lane 0's reduction with `op` where defined.
                let reducible = matches!(op, BinOp::Add | BinOp::Mul | BinOp::Min | BinOp::Max);
                let outs = run(vty, &xs, &ys, &|b, x, y| {
                    let v = b.binary(op, x, y);
                    let s = if reducible {
                        b.reduce_lanes(op, v)
                    } else {
                        b.f64const(0.0)
                    };
                    let s = if lane == Ty::F32 && !reducible {
                        b.f32const(0.0)
                    } else {
                        s
                    };
                    (v, s)
                });
                let want: Vec<u64> = (0..lanes).map(|k| binary(op, lane, xs[k], ys[k])).collect();
                for (got, s) in outs {
                    for k in 0..lanes {
                        assert!(
                            same(lane, got[k], want[k]),
                            "{op:?}.{vty} lane {k}: {:#x} {:#x} -> {:#x}, want {:#x}",
                            xs[k],
                            ys[k],
                            got[k],
                            want[k]
                        );
                    }
                    if reducible {
                        let r = reduce_lanes(op, lane, &want);
                        assert!(
                            same(lane, s, r),
                            "reduce {op:?}.{vty} of {want:x?}: {s:#x}, want {r:#x}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn unary_compare_select_and_splat_agree_with_the_evaluator() {
    for vty in FLOAT_VECTORS {
        let lane = vty.lane();
        let lanes = vty.lanes() as usize;
        for (xs, ys) in samples(lane, lanes) {
            for op in [UnOp::Neg, UnOp::Abs, UnOp::Sqrt] {
                let outs = run(vty, &xs, &ys, &|b, x, _| {
                    let v = b.unary(op, x);
                    let s = b.reduce_lanes(BinOp::Max, x);
                    (v, s)
                });
                for (got, _) in outs {
                    for k in 0..lanes {
                        let want = unary(op, lane, xs[k]);
                        assert!(same(lane, got[k], want), "{op:?}.{vty} of {:#x}", xs[k]);
                    }
                }
            }
            for op in CmpOp::ALL {
                // select(x op y, x, splat(y lane 0)).
                let outs = run(vty, &xs, &ys, &|b, x, y| {
                    let mask = b.cmp(op, x, y);
                    let first = b.reduce_lanes(BinOp::Min, y);
                    let y0 = b.splat(vty, first);
                    (b.select(mask, x, y0), first)
                });
                let y0 = reduce_lanes(BinOp::Min, lane, &ys);
                for (got, _) in outs {
                    for k in 0..lanes {
                        let want = if compare(op, lane, xs[k], ys[k]) {
                            xs[k]
                        } else {
                            y0
                        };
                        assert!(
                            same(lane, got[k], want),
                            "select({op:?}.{vty}) of {:#x}, {:#x}: {:#x}, want {want:#x}",
                            xs[k],
                            ys[k],
                            got[k]
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn many_live_vectors_spill_and_reload_whole() {
    for vty in FLOAT_VECTORS {
        let lane = vty.lane();
        let lanes = vty.lanes() as usize;
        let e = edges(lane);
        let xs: Vec<u64> = (0..lanes).map(|k| e[(k + 2) % e.len()]).collect();
        let ys: Vec<u64> = (0..lanes).map(|k| e[(k + 8) % e.len()]).collect();
        // 40 vectors live at once, then summed in order.
        let outs = run(vty, &xs, &ys, &|b, x, y| {
            let mut live = vec![x, y];
            for k in 0..40 {
                let v = b.binary(BinOp::Add, live[k], live[k + 1]);
                live.push(v);
            }
            let mut acc = live[0];
            for &v in &live[1..] {
                acc = b.binary(BinOp::Mul, acc, v);
            }
            let s = b.reduce_lanes(BinOp::Add, acc);
            (acc, s)
        });
        let mut live: Vec<Vec<u64>> = vec![xs.clone(), ys.clone()];
        for k in 0..40 {
            let v = (0..lanes)
                .map(|l| binary(BinOp::Add, lane, live[k][l], live[k + 1][l]))
                .collect();
            live.push(v);
        }
        let mut acc = live[0].clone();
        for v in &live[1..] {
            acc = (0..lanes)
                .map(|l| binary(BinOp::Mul, lane, acc[l], v[l]))
                .collect();
        }
        for (got, s) in outs {
            assert_eq!(got, acc, "{vty}");
            assert!(same(lane, s, reduce_lanes(BinOp::Add, lane, &acc)));
        }
    }
}

/// `I64x2` and `I64x4` lanes: arithmetic, compares (as masks) and shifts
/// by every amount class, on the `i64` edge values (overflowing
/// differences included), each lane against the evaluator.
#[test]
fn integer_lanes_agree_with_the_evaluator() {
    let edges = super::edge_values(Ty::I64);
    let mut samples = Vec::new();
    for &x in &edges {
        for &y in &edges {
            samples.push((
                vec![x, y, y ^ x, !x],
                vec![y, x.wrapping_add(1), x, y.wrapping_sub(x)],
            ));
        }
    }
    for fty in [Ty::F64x2, Ty::F64x4] {
        let lanes = fty.lanes() as usize;
        for (xs, ys) in &samples {
            let (xs, ys) = (&xs[..lanes], &ys[..lanes]);
            for op in [BinOp::Add, BinOp::Sub, BinOp::And, BinOp::Or, BinOp::Xor] {
                let outs = run_i64(fty, xs, ys, &|b, x, y| b.binary(op, x, y));
                for got in outs {
                    for k in 0..lanes {
                        assert_eq!(got[k], binary(op, Ty::I64, xs[k], ys[k]), "{op:?} {fty}");
                    }
                }
            }
            for op in CmpOp::ALL {
                let outs = run_i64(fty, xs, ys, &|b, x, y| b.cmp(op, x, y));
                for got in outs {
                    for k in 0..lanes {
                        let want = if compare(op, Ty::I64, xs[k], ys[k]) {
                            u64::MAX
                        } else {
                            0
                        };
                        assert_eq!(got[k], want, "{op:?} {fty} {:#x} {:#x}", xs[k], ys[k]);
                    }
                }
            }
            for amount in [0, 1, 7, 31, 32, 52, 63] {
                for op in [BinOp::Shl, BinOp::ShrS, BinOp::ShrU] {
                    let outs = run_i64(fty, xs, ys, &|b, x, _| b.shift_imm(op, x, amount));
                    for got in outs {
                        for k in 0..lanes {
                            let want = binary(op, Ty::I64, xs[k], u64::from(amount));
                            assert_eq!(got[k], want, "{op:?} {fty} {:#x} by {amount}", xs[k]);
                        }
                    }
                }
            }
        }
    }
}

/// Runs `body` on two integer vectors read as the float vectors `fty`
/// (`F64x2` or `F64x4`) and returns the stored result lanes, at every
/// level with every allocator.
fn run_i64(
    fty: Ty,
    xs: &[u64],
    ys: &[u64],
    body: &dyn Fn(&mut Builder, crate::mir::Value, crate::mir::Value) -> crate::mir::Value,
) -> Vec<Vec<u64>> {
    let ity = if fty.is_wide() { Ty::I64x4 } else { Ty::I64x2 };
    run(fty, xs, ys, &|b, x, y| {
        let (x, y) = (b.bitcast(x, ity), b.bitcast(y, ity));
        let r = body(b, x, y);
        let r = b.bitcast(r, fty);
        let zero = b.f64const(0.0);
        (r, zero)
    })
    .into_iter()
    .map(|(lanes, _)| lanes)
    .collect()
}

/// Widening, narrowing, joining halves, lanes out and in, and the any-lane
/// test on `F32` vectors of `lanes` lanes, against the scalar conversions:
/// `[narrow(widen(x, 1)) ; narrow(widen(y, 0) with lane h - 2 = lane h - 1
/// of widen(x, 0))]` (`h = lanes / 2`), and whether any lane of `x` is NaN.
fn lane_moves_agree(vty: Ty) {
    let lanes = vty.lanes() as usize;
    let h = lanes / 2;
    let e = edges(Ty::F32);
    for i in 0..e.len() {
        let xs: Vec<u64> = (0..lanes).map(|k| e[(i + k) % e.len()]).collect();
        let ys: Vec<u64> = (0..lanes).map(|k| e[(i + 5 * k + 1) % e.len()]).collect();
        let outs = run(vty, &xs, &ys, &|b, x, y| {
            let high = b.widen(x, 1);
            let low_y = b.widen(y, 0);
            let low_x = b.widen(x, 0);
            let lane = b.extract_lane(low_x, (h - 1) as u8);
            let put = b.insert_lane(low_y, (h - 2) as u8, lane);
            let (n0, n1) = (b.narrow(high), b.narrow(put));
            let joined = b.concat_low(n0, n1);
            let nan = b.cmp(CmpOp::Ne, x, x);
            let any = b.any_lane(nan);
            let any = b.convert(any, Ty::F32);
            (joined, any)
        });
        let to32 = |bits: u64| f32::from_bits(bits as u32);
        let round = |v: u64| u64::from((to32(v) as f64 as f32).to_bits());
        let mut want: Vec<u64> = xs[h..].iter().map(|&v| round(v)).collect();
        want.extend(ys[..h].iter().map(|&v| round(v)));
        want[lanes - 2] = round(xs[h - 1]);
        let any_nan = xs.iter().any(|&v| to32(v).is_nan());
        for (got, any) in outs {
            for k in 0..lanes {
                assert!(
                    same(Ty::F32, got[k], want[k]),
                    "lane {k}: {got:x?} want {want:x?}"
                );
            }
            assert_eq!(to32(any) == 1.0, any_nan, "{xs:x?}");
        }
    }
}

#[test]
fn lane_moves_and_conversions_agree_with_the_evaluator() {
    lane_moves_agree(Ty::F32x4);
}

/// The 256-bit forms.
#[test]
fn wide_lane_moves_and_conversions_agree_with_the_evaluator() {
    lane_moves_agree(Ty::F32x8);
}

/// Every lane out of and into each vector type: `x` with lane `l` = lane
/// `l + 3` of `y`, and lane `l` of `x` as the scalar.
#[test]
fn every_lane_extracts_and_inserts() {
    for vty in FLOAT_VECTORS {
        let lane = vty.lane();
        let lanes = vty.lanes() as usize;
        let e = edges(lane);
        let xs: Vec<u64> = (0..lanes).map(|k| e[k + 1]).collect();
        let ys: Vec<u64> = (0..lanes).map(|k| e[k + 3]).collect();
        for l in 0..lanes {
            let from = (l + 3) % lanes;
            let outs = run(vty, &xs, &ys, &|b, x, y| {
                let v = b.extract_lane(y, from as u8);
                let put = b.insert_lane(x, l as u8, v);
                (put, b.extract_lane(x, l as u8))
            });
            for (got, s) in outs {
                for k in 0..lanes {
                    let want = if k == l { ys[from] } else { xs[k] };
                    assert!(
                        same(lane, got[k], want),
                        "{vty} lane {k} after insert at {l}"
                    );
                }
                assert!(same(lane, s, xs[l]), "{vty} lane {l}: {s:#x}");
            }
        }
    }
}

/// `permute` (`vpermps`): each lane of the result is the lane of the
/// table `x` that the low three bits of the index lane pick, the higher
/// bits ignored; with the shift right by 22 a lookup reads (bits 22 to 24
/// of each 32-bit half of a 64-bit lane), as `tanh` does. Skipped without
/// 256-bit vectors.
#[test]
fn wide_permute_picks_table_lanes() {
    let e = edges(Ty::F32);
    let xs: Vec<u64> = (0..8).map(|k| e[k + 2]).collect();
    let index_sets: [[u32; 8]; 3] = [
        [0, 1, 2, 3, 4, 5, 6, 7],
        [7, 7, 0, 3, 5, 1, 6, 2],
        [
            0xFFFF_FFF8 | 5,
            0x8000_0003,
            0x7FC0_0000,
            9,
            14,
            0x3F80_0001,
            4,
            0xF,
        ],
    ];
    // Each index set as given, then in bits 22 to 24 brought down by a
    // 64-bit shift (as `tanh`'s lookups read them).
    for (indices, shifted) in index_sets.iter().flat_map(|i| [(i, false), (i, true)]) {
        let ys: Vec<u64> = indices
            .iter()
            .map(|&i| u64::from(if shifted { i << 22 } else { i }))
            .collect();
        let outs = run(Ty::F32x8, &xs, &ys, &|b, x, y| {
            let idx = if shifted {
                let bits = b.bitcast(y, Ty::I64x4);
                b.shift_imm(BinOp::ShrU, bits, 22)
            } else {
                y
            };
            let picked = b.permute(x, idx);
            (picked, b.extract_lane(picked, 1))
        });
        for (got, s) in outs {
            for k in 0..8 {
                let want = xs[(indices[k] & 7) as usize];
                assert!(
                    same(Ty::F32, got[k], want),
                    "lane {k} ({shifted}): {got:x?}"
                );
            }
            assert!(same(Ty::F32, s, xs[(indices[1] & 7) as usize]));
        }
    }
}

/// `byte_table` (`tbl`) and `byte_table_into` (`tbx`): each byte of the
/// result is the byte of the table `x` its byte of `y` indexes; out of
/// range (16 and up) zero, or the byte of the vector looked into (`y`
/// itself, then the `tbl` result with `y`'s bit 4 flipped, a table of 32
/// bytes as `tanh` looks one up). Where the target has them (AArch64).
#[test]
fn byte_tables_pick_table_bytes() {
    if !has_byte_tables(IsaLevel::Native) {
        return;
    }
    let bytes_of = |lanes: &[u64]| -> Vec<u8> {
        lanes
            .iter()
            .flat_map(|&l| (l as u32).to_le_bytes())
            .collect()
    };
    let xs: Vec<u64> = (0..4u64).map(|k| 0x8382_8180 + k * 0x0404_0404).collect();
    let index_sets: [[u8; 16]; 3] = [
        [0, 1, 2, 3, 28, 29, 30, 31, 16, 17, 18, 19, 12, 13, 14, 15],
        [31, 0, 17, 5, 32, 255, 16, 15, 8, 8, 24, 24, 1, 33, 20, 64],
        [4, 5, 6, 7, 20, 21, 22, 23, 0, 1, 2, 3, 16, 17, 18, 19],
    ];
    for indices in index_sets {
        let ys: Vec<u64> = indices
            .chunks(4)
            .map(|c| u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
            .collect();
        let outs = run(Ty::F32x4, &xs, &ys, &|b, x, y| {
            let bytes = b.bitcast(y, Ty::I64x2);
            let low = b.byte_table(x, bytes);
            let into_y = b.byte_table_into(y, x, bytes);
            let flip = b.iconst(Ty::I64, 0x1010_1010_1010_1010);
            let flip = b.bitcast(flip, Ty::F64);
            let flip = b.splat(Ty::F64x2, flip);
            let flip = b.bitcast(flip, Ty::I64x2);
            let flipped = b.binary(BinOp::Xor, bytes, flip);
            // The 32-byte table `y`, `x`: `x`'s bytes at 16 to 31.
            let both = b.byte_table_into(low, x, flipped);
            let both = b.bitcast(both, Ty::I64x2);
            let into_y = b.bitcast(into_y, Ty::I64x2);
            let mixed = b.binary(BinOp::Xor, both, into_y);
            let mixed = b.bitcast(mixed, Ty::F32x4);
            (low, b.extract_lane(mixed, 1))
        });
        let (table, own) = (bytes_of(&xs), bytes_of(&ys));
        let pick = |i: u8, or: u8| table.get(usize::from(i)).copied().unwrap_or(or);
        let want_low: Vec<u8> = indices.iter().map(|&i| pick(i, 0)).collect();
        let want_into: Vec<u8> = indices
            .iter()
            .zip(&own)
            .map(|(&i, &o)| pick(i, o))
            .collect();
        let want_both: Vec<u8> = indices
            .iter()
            .map(|&i| match i {
                0..16 => table[usize::from(i)],
                16..32 => table[usize::from(i - 16)],
                _ => 0,
            })
            .collect();
        for (got, s) in outs {
            assert_eq!(bytes_of(&got), want_low, "tbl, indices {indices:?}");
            let lane1 = |v: &[u8]| u32::from_le_bytes([v[4], v[5], v[6], v[7]]);
            assert_eq!(
                s as u32,
                lane1(&want_both) ^ lane1(&want_into),
                "tbx, indices {indices:?}"
            );
        }
    }
}

/// Vectors live across a helper call (a float remainder calls `fmod`):
/// every vector register is caller-saved, so they spill around it (32
/// bytes each for 256-bit types, whose upper halves the call sequence
/// clears) and must come back whole.
#[test]
fn vectors_live_across_a_helper_call_come_back_whole() {
    for vty in FLOAT_VECTORS {
        let lane = vty.lane();
        let lanes = vty.lanes() as usize;
        let e = edges(lane);
        let xs: Vec<u64> = (0..lanes).map(|k| e[(k + 2) % e.len()]).collect();
        let ys: Vec<u64> = (0..lanes).map(|k| e[(k + 9) % e.len()]).collect();
        let outs = run(vty, &xs, &ys, &|b, x, y| {
            let sum = b.binary(BinOp::Add, x, y);
            let s = b.reduce_lanes(BinOp::Max, y);
            let t = b.reduce_lanes(BinOp::Min, x);
            let r = b.binary(BinOp::Rem, s, t);
            let splat = b.splat(vty, r);
            let v = b.binary(BinOp::Mul, sum, x);
            let v = b.binary(BinOp::Sub, v, y);
            (b.binary(BinOp::Add, v, splat), r)
        });
        let s = reduce_lanes(BinOp::Max, lane, &ys);
        let t = reduce_lanes(BinOp::Min, lane, &xs);
        let r = binary(BinOp::Rem, lane, s, t);
        for (got, rem) in outs {
            assert!(same(lane, rem, r), "{vty}: {rem:#x} want {r:#x}");
            for k in 0..lanes {
                let sum = binary(BinOp::Add, lane, xs[k], ys[k]);
                let v = binary(BinOp::Mul, lane, sum, xs[k]);
                let v = binary(BinOp::Sub, lane, v, ys[k]);
                let want = binary(BinOp::Add, lane, v, r);
                assert!(same(lane, got[k], want), "{vty} lane {k}: {got:x?}");
            }
        }
    }
}

// ---- vector fma ----

/// Programs of fused multiply-adds on vectors `[x, y, z]`: each triple
/// `(a, b, c)` appends `fma(v[a], v[b], v[c])` to the values, the last one
/// is the result. Operands repeat (so that the destination may share a
/// register with any of them), and results feed later ones while earlier
/// values stay live.
const FMA_PROGRAMS: [&[(usize, usize, usize)]; 7] = [
    &[(0, 1, 2)],
    &[(0, 0, 1)],
    &[(0, 1, 0)],
    &[(1, 0, 0)],
    &[(0, 0, 0)],
    &[(0, 1, 2), (3, 1, 3), (0, 3, 4), (5, 5, 2)],
    &[(0, 1, 2), (3, 0, 1), (4, 2, 3), (2, 5, 0)],
];

/// Lane values where one rounding and two differ: `a * a + c` with
/// `a = 1 + 2^-12`, `c = -(1 + 2^-11)` (f32: the product's `2^-24` is a
/// tie that rounds away, fused it is the result), and the `f64` analogue
/// with `2^-27`; then the `f32` case `(1 + 2^-12)(1 - 2^-12) - 1`, and
/// NaN, infinity and signed-zero combinations.
fn fused_samples(lane: Ty) -> Vec<[u64; 3]> {
    let (one, e, bits): (f64, f64, fn(f64) -> u64) = if lane == Ty::F32 {
        (1.0, 2f64.powi(-12), |v| u64::from((v as f32).to_bits()))
    } else {
        (1.0, 2f64.powi(-27), f64::to_bits)
    };
    let inf = f64::INFINITY;
    let rows = [
        [one + e, one + e, -(one + 2.0 * e)],
        [-(one + e), one + e, one + 2.0 * e],
        [one + e, one - e, -1.0],
        [inf, 0.0, 1.0],
        [inf, -1.0, inf],
        [f64::NAN, 0.0, inf],
        [-0.0, 1.0, -0.0],
        [0.0, -1.0, -0.0],
        [-0.0, -0.0, -0.0],
        [1e300, 1e300, -inf],
    ];
    rows.iter().map(|r| r.map(bits)).collect()
}

/// Sample vectors `(x, y, z)`: the edge values in every lane combination
/// of the operand tables, then the [`fused_samples`] rows rotated through
/// the lanes.
fn fma_samples(vty: Ty) -> Vec<[Vec<u64>; 3]> {
    let lane = vty.lane();
    let lanes = vty.lanes() as usize;
    let mut out: Vec<[Vec<u64>; 3]> = samples(lane, lanes)
        .into_iter()
        .enumerate()
        .map(|(i, (xs, ys))| {
            let e = edges(lane);
            let zs = (0..lanes).map(|k| e[(i + 5 * k) % e.len()]).collect();
            [xs, ys, zs]
        })
        .collect();
    let rows = fused_samples(lane);
    for shift in 0..rows.len() {
        let pick = |j: usize| -> Vec<u64> {
            (0..lanes)
                .map(|k| rows[(k + shift) % rows.len()][j])
                .collect()
        };
        out.push([pick(0), pick(1), pick(2)]);
    }
    out
}

/// Runs `program` ([`FMA_PROGRAMS`]) on the samples of `vty` through
/// `Builder::fma_lanes(.., hardware)`, compiled at each level of `isas`
/// with every allocator, against [`fma_lanes`] lane by lane.
fn fma_program_agrees(
    vty: Ty,
    program: &[(usize, usize, usize)],
    hardware: bool,
    isas: &[IsaLevel],
) {
    let lane = vty.lane();
    let lanes = vty.lanes() as usize;
    let mut b = Builder::new("fma");
    let zero = b.iconst(Ty::I64, 0);
    let mut vals: Vec<crate::mir::Value> = (0..3)
        .map(|slot| {
            let p = b.arg(Ty::I64, slot);
            b.load(vty, p, zero)
        })
        .collect();
    for &(x, y, z) in program {
        let v = b.fma_lanes(vals[x], vals[y], vals[z], hardware);
        vals.push(v);
    }
    let out = b.arg(Ty::I64, 3);
    b.store(out, zero, *vals.last().unwrap());
    b.ret();
    let func = b.finish();
    let codes: Vec<CompiledCode> = isas
        .iter()
        .flat_map(|&isa| CHOICES.map(|choice| compile_or_panic(&func, isa, choice)))
        .collect();
    let size = lane.size_of() as usize;
    for operands in fma_samples(vty) {
        let mut want: Vec<Vec<u64>> = operands.to_vec();
        for &(x, y, z) in program {
            let v = fma_lanes(vty, &want[x], &want[y], &want[z]);
            want.push(v);
        }
        let want = want.last().unwrap();
        let buffers: Vec<Vec<u8>> = operands
            .iter()
            .map(|vs| {
                let mut buf = vec![0u8; size * lanes];
                for (k, &v) in vs.iter().enumerate() {
                    store_lanes(lane, &mut buf, k, v);
                }
                buf
            })
            .collect();
        for code in &codes {
            let mut out = vec![0u8; size * lanes];
            let mut args: Vec<u64> = buffers.iter().map(|buf| buf.as_ptr() as u64).collect();
            args.push(out.as_mut_ptr() as u64);
            super::call(code, &args, 0);
            for (k, &want) in want.iter().enumerate() {
                let got = load_lanes(lane, &out, k);
                assert!(
                    same(lane, got, want),
                    "fma.{vty} {program:?} (hardware: {hardware}) lane {k} of {operands:x?}: \
                     {got:#x}, want {want:#x}\n{func}"
                );
            }
        }
    }
}

/// The fused samples are ones where rounding twice would show: the
/// evaluator's `mul_add` differs from the product rounded, then the sum.
#[test]
fn the_fused_samples_tell_one_rounding_from_two() {
    for lane in [Ty::F32, Ty::F64] {
        let [a, b, c] = fused_samples(lane)[0];
        let twice = binary(BinOp::Add, lane, binary(BinOp::Mul, lane, a, b), c);
        let once = crate::mir::eval::fma(lane, a, b, c);
        assert_ne!(once, twice, "{lane}");
        assert_ne!(once, binary(BinOp::Sub, lane, c, c), "{lane}: not zero");
    }
}

/// A vector `Fma` on each float vector type, where the target has the
/// instruction (every AArch64 level; x86-64 with FMA3), against the
/// evaluator lane by lane, operands aliased and chained.
#[test]
fn vector_fma_agrees_with_the_evaluator() {
    for vty in FLOAT_VECTORS {
        let isas: Vec<IsaLevel> = levels(vty)
            .into_iter()
            .filter(|&isa| has_vector_fma(isa))
            .collect();
        for program in FMA_PROGRAMS {
            fma_program_agrees(vty, program, true, &isas);
        }
    }
}

/// `Builder::fma_lanes` without the instruction: lanes out, a scalar `Fma`
/// each (an instruction, or a helper call with the vectors spilled around
/// it), lanes back in, at every level, with the same bits.
#[test]
fn fma_split_into_lanes_agrees_with_the_evaluator() {
    for vty in FLOAT_VECTORS {
        for program in FMA_PROGRAMS {
            fma_program_agrees(vty, program, false, &levels(vty));
        }
    }
}
