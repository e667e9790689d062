//! Set-based steps with `DataTransfer` (runtime 10 / BC 21+, upgrade codeunits only), for
//! the tables and table-extension fields whose every field copies as it is (same type on
//! both sides: no enum conversion, no Media content copy, no MediaSet).

use al_parser::edit::format_name;

use super::analysis::{ExtCopy, FieldCopy, FieldKind, TableCopy};
use super::code::{Permissions, Procedure, lit, table_ref};

/// Whether every field copies as it is.
pub(super) fn as_is(fields: &[FieldCopy]) -> bool {
    fields
        .iter()
        .all(|f| matches!(f.kind, FieldKind::Plain | FieldKind::Blob))
}

fn add_fields(fields: &[FieldCopy], source: &str, target: &str) -> String {
    fields
        .iter()
        .map(|f| {
            format!(
                "        Transfer.AddFieldValue({source}.FieldNo({}), {target}.FieldNo({}));\n",
                format_name(&f.old),
                format_name(&f.new)
            )
        })
        .collect()
}

/// `CopyRows` into an empty new table (SystemId and audit fields kept from BC 21.5); a
/// table that already has rows is left alone and logged (a second run copies nothing).
pub(super) fn table(t: &TableCopy, p: &mut Permissions) -> Option<Procedure> {
    if !as_is(&t.fields) {
        return None;
    }
    p.add(&t.old, "R");
    p.add(&t.new, "RIM");
    let step = format!("table {} -> {} (DataTransfer)", t.old, t.new);
    let body = format!(
        "    var\n        Source: Record {old};\n        Target: Record {new};\n        Transfer: DataTransfer;\n    begin\n        if not Target.IsEmpty() then begin\n            Log({skipped}, Source.Count(), 0);\n            exit;\n        end;\n        Transfer.SetTables(Database::{old}, Database::{new});\n{fields}        Transfer.CopyRows();\n        Log({step}, Source.Count(), Target.Count());\n    end;\n",
        old = table_ref(&t.old),
        new = table_ref(&t.new),
        skipped = lit(&format!("{step}: skipped, the new table has rows")),
        fields = add_fields(&t.fields, "Source", "Target"),
        step = lit(&step)
    );
    Some((
        format!("copy table {:?} to {:?} with DataTransfer", t.old, t.new),
        body,
        t.per_database,
    ))
}

/// `CopyFields` within the base table.
pub(super) fn fields(x: &ExtCopy, p: &mut Permissions) -> Option<Procedure> {
    if !as_is(&x.fields) {
        return None;
    }
    p.add(&x.base, "RM");
    let names: Vec<&str> = x.fields.iter().map(|f| f.old.as_str()).collect();
    let step = format!(
        "fields of {}: {} (DataTransfer)",
        x.base.trim_matches('"'),
        names.join(", ")
    );
    let base = table_ref(&x.base);
    let body = format!(
        "    var\n        Rec: Record {base};\n        Transfer: DataTransfer;\n    begin\n        Transfer.SetTables(Database::{base}, Database::{base});\n{fields}        Transfer.CopyFields();\n        Log({step}, Rec.Count(), Rec.Count());\n    end;\n",
        fields = add_fields(&x.fields, "Rec", "Rec"),
        step = lit(&step)
    );
    Some((
        format!("copy fields of {} with DataTransfer", x.base),
        body,
        false,
    ))
}
