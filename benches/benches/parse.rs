//! AL parsing throughput: al-parser vs tree-sitter-al on the same input in the same run.
//!
//! Input: every `.al` file below `$ALKIT_CORPUS` when set (e.g. the BaseApp folder of
//! microsoft/BCApps), else an embedded synthetic AL text written for this benchmark.
//! Before the criterion groups, a direct timing of both parsers prints MB/s and the ratio.
//! Run: `ALKIT_CORPUS=/path/to/BaseApp cargo bench -p alkit-benches --bench parse`.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// A synthetic object exercising the common constructs (fields, keys, triggers,
/// procedures, statements, expressions, `#if`, labels, attributes).
const SYNTHETIC: &str = r#"namespace Bench.Synthetic;

using Microsoft.Sales.Document;
using System.Utilities;

table 50100 "Bench Table"
{
    Caption = 'Bench Table';
    DataClassification = CustomerContent;

    fields
    {
        field(1; "No."; Code[20])
        {
            Caption = 'No.';
            TableRelation = if (Type = const(Item)) Item."No." where(Blocked = const(false))
                            else "G/L Account" where("Account Type" = const(Posting));

            trigger OnValidate()
            begin
                if "No." <> xRec."No." then
                    TestField(Type);
            end;
        }
        field(2; Type; Enum "Sales Line Type") { Caption = 'Type'; }
        field(3; Amount; Decimal)
        {
            FieldClass = FlowField;
            CalcFormula = sum("Cust. Ledger Entry".Amount where("Customer No." = field("No.")));
        }
#if not CLEAN25
        field(4; "Old Field"; Text[50])
        {
            ObsoleteState = Pending;
            ObsoleteReason = 'Replaced';
            ObsoleteTag = '25.0';
        }
#endif
    }
    keys
    {
        key(PK; "No.") { Clustered = true; }
    }

    var
        NotFoundErr: Label 'Record %1 was not found.', Comment = '%1 = number';

    /// <summary>Computes something.</summary>
    [Scope('OnPrem')]
    procedure Compute(var SalesLine: Record "Sales Line"; Factor: Decimal): Decimal
    var
        Total: Decimal;
        i: Integer;
    begin
        Total := 0;
        SalesLine.SetRange("Document Type", SalesLine."Document Type"::Order);
        if SalesLine.FindSet() then
            repeat
                case SalesLine.Type of
                    SalesLine.Type::Item, SalesLine.Type::Resource:
                        Total += SalesLine.Amount * Factor;
                    else
                        Total -= 1;
                end;
            until SalesLine.Next() = 0;
        for i := 1 to 10 do
            if (Total > 100) and not SalesLine.IsEmpty() then
                Total := Round(Total / 2, 0.01)
            else
                Error(NotFoundErr, SalesLine."No.");
        exit(Total);
    end;
}
"#;

fn inputs() -> Vec<Vec<u8>> {
    if let Some(root) = alkit_benches::corpus_root() {
        let files = alkit_benches::al_files(&root);
        let v: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
        if !v.is_empty() {
            return v;
        }
    }
    (0..200).map(|_| SYNTHETIC.as_bytes().to_vec()).collect()
}

fn time<F: FnMut()>(mut f: F, bytes: usize) -> f64 {
    f(); // warm up
    let rounds = 3;
    let t = Instant::now();
    for _ in 0..rounds {
        f();
    }
    bytes as f64 * rounds as f64 / 1e6 / t.elapsed().as_secs_f64()
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let bytes: usize = inputs.iter().map(Vec::len).sum();
    let mut ts = tree_sitter::Parser::new();
    let lang: tree_sitter::Language = tree_sitter_al::LANGUAGE.into();
    let ts_ok = ts.set_language(&lang).is_ok();

    let ours = time(
        || {
            for i in &inputs {
                black_box(al_parser::parse(i));
            }
        },
        bytes,
    );
    let theirs = if ts_ok {
        time(
            || {
                for i in &inputs {
                    black_box(ts.parse(i, None));
                }
            },
            bytes,
        )
    } else {
        f64::NAN
    };
    println!(
        "parse: {} files, {bytes} bytes: al-parser {ours:.1} MB/s, tree-sitter-al {theirs:.1} MB/s, ratio {:.1}x",
        inputs.len(),
        ours / theirs
    );

    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("al-parser", |b| {
        b.iter(|| {
            for i in &inputs {
                black_box(al_parser::parse(i));
            }
        })
    });
    if ts_ok {
        g.bench_function("tree-sitter-al", |b| {
            b.iter(|| {
                for i in &inputs {
                    black_box(ts.parse(i, None));
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
