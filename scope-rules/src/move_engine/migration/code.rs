//! The AL of the migration app: the install codeunit (one procedure a step, each logging
//! its row counts) and the log table.

use std::collections::{BTreeMap, BTreeSet};

use al_parser::edit::format_name;

use super::analysis::{Analysis, EnumRewrite, ExtCopy, FieldCopy, FieldKind, TableCopy};

/// Platform features the code may use (from the apps' runtime).
#[derive(Debug, Clone, Copy)]
pub(super) struct Features {
    /// `Insert(false, true)` with `SystemId` assigned, `GetBySystemId` (runtime 5.0+).
    pub keep_system_id: bool,
    /// An upgrade codeunit (`--migration-bulk`, runtime 10.0+): `DataTransfer` copies the
    /// table-extension fields that copy as they are.
    pub upgrade: bool,
    /// `DataTransfer.CopyRows` for the tables that copy as they are: it keeps SystemId from
    /// BC 21.5 (the app's platform).
    pub copy_rows: bool,
}

/// Names and numbers of the generated objects.
#[derive(Debug, Clone)]
pub(super) struct Objects {
    pub id: u32,
    pub codeunit: String,
    pub log_table: String,
    pub permission_set: String,
}

/// An AL string literal.
pub(super) fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A table as a reference: written names (quoted or dotted) stay, plain names are quoted
/// when needed.
pub(super) fn table_ref(name: &str) -> String {
    // Already a reference: quoted parts, or a namespace path of plain identifiers
    // (`Contoso.Loyalty.Tier`). A name with a dot among other characters
    // (`Cust. Ledger Entry`, `Object Type Config.`) is one name and gets quotes.
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
    // A table named by its ID (`tableextension 50023 X extends 110`): `Record 110`.
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
        return name.to_string();
    }
    if name.contains('"') || (name.contains('.') && name.split('.').all(plain)) {
        name.to_string()
    } else {
        format_name(name)
    }
}

/// The permissions the codeunit declares: table → letters.
#[derive(Debug, Default)]
pub(super) struct Permissions(BTreeMap<String, BTreeSet<char>>);

impl Permissions {
    pub(super) fn add(&mut self, table: &str, letters: &str) {
        self.0
            .entry(table_ref(table))
            .or_default()
            .extend(letters.chars());
    }

    fn render(&self) -> String {
        let order = ['R', 'I', 'M', 'D'];
        let items: Vec<String> = self
            .0
            .iter()
            .map(|(t, l)| {
                let letters: String = order.iter().filter(|c| l.contains(c)).collect();
                format!("tabledata {t} = {letters}")
            })
            .collect();
        format!(
            "    Permissions = {};\n",
            items.join(",\n                  ")
        )
    }
}

/// `Target := Source` for one field (`var` declarations it needs go to `vars`).
fn assign(
    target: &str,
    source: &str,
    f: &FieldCopy,
    a: &Analysis,
    vars: &mut BTreeSet<String>,
) -> String {
    let (t, s) = (
        format!("{target}.{}", format_name(&f.new)),
        format!("{source}.{}", format_name(&f.old)),
    );
    match &f.kind {
        FieldKind::Plain | FieldKind::Blob => format!("{t} := {s};\n"),
        FieldKind::Enum {
            target: e,
            renumbered,
        } => {
            let ordinal = match renumbered
                .as_ref()
                .and_then(|k| a.renumbered.keys().position(|x| x == k))
            {
                Some(i) => format!("Ordinal{}({s}.AsInteger())", i + 1),
                None => format!("{s}.AsInteger()"),
            };
            format!("{t} := Enum::{}.FromInteger({ordinal});\n", format_name(e))
        }
        FieldKind::Media => {
            vars.insert("Buffer".into());
            format!(
                "if {s}.HasValue() and not {t}.HasValue() then begin\n    Clear(Buffer.Buffer);\n    Buffer.Buffer.CreateOutStream(OutS);\n    {s}.ExportStream(OutS);\n    Buffer.Buffer.CreateInStream(InS);\n    {t}.ImportStream(InS, {});\nend;\n",
                lit(&f.new)
            )
        }
        FieldKind::MediaSet => {
            vars.insert("I".into());
            format!(
                "if {t}.Count() = 0 then\n    for I := 1 to {s}.Count() do\n        {t}.Insert({s}.Item(I));\n"
            )
        }
    }
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

fn blobs(fields: &[FieldCopy], rec: &str) -> Option<String> {
    let names: Vec<String> = fields
        .iter()
        .filter(|f| f.kind == FieldKind::Blob)
        .map(|f| format_name(&f.old))
        .collect();
    (!names.is_empty()).then(|| format!("{rec}.CalcFields({});\n", names.join(", ")))
}

fn var_block(decls: &[String], extra: &BTreeSet<String>, log: &str) -> String {
    let mut v = String::from("    var\n");
    for d in decls {
        v.push_str(&format!("        {d};\n"));
    }
    if extra.contains("Buffer") {
        v.push_str(&format!("        Buffer: Record {} temporary;\n        OutS: OutStream;\n        InS: InStream;\n", format_name(log)));
    }
    if extra.contains("I") {
        v.push_str("        I: Integer;\n");
    }
    v.push_str("        RowsRead: Integer;\n        RowsWritten: Integer;\n");
    v
}

/// A procedure: (doc, body after the signature, per database).
pub(super) type Procedure = (String, String, bool);

fn table_procedure(
    t: &TableCopy,
    a: &Analysis,
    f: Features,
    o: &Objects,
    p: &mut Permissions,
) -> Procedure {
    p.add(&t.old, "R");
    p.add(&t.new, "RIM");
    let mut vars = BTreeSet::new();
    let mut copy = String::new();
    if let Some(c) = blobs(&t.fields, "Source") {
        copy.push_str(&c);
    }
    copy.push_str("Target.Init();\n");
    for field in &t.fields {
        copy.push_str(&assign("Target", "Source", field, a, &mut vars));
    }
    let insert = if f.keep_system_id {
        "Target.SystemId := Source.SystemId;\nif Target.Insert(false, true) then\n    RowsWritten += 1;\n"
    } else {
        "if Target.Insert(false) then\n    RowsWritten += 1;\n"
    };
    copy.push_str(insert);
    let guard = if f.keep_system_id {
        "if not Target.GetBySystemId(Source.SystemId) then begin\n"
    } else {
        "begin\n"
    };
    let loop_body = format!("RowsRead += 1;\n{guard}{}end;\n", indent(&copy, 4));
    let step = format!("table {} -> {}", t.old, t.new);
    let body = format!(
        "{}    begin\n        if Source.FindSet() then\n            repeat\n{}            until Source.Next() = 0;\n        Log({}, RowsRead, RowsWritten);\n    end;\n",
        var_block(
            &[
                format!("Source: Record {}", table_ref(&t.old)),
                format!("Target: Record {}", table_ref(&t.new)),
            ],
            &vars,
            &o.log_table
        ),
        indent(&loop_body, 16),
        lit(&step)
    );
    (
        format!("copy table {:?} to {:?}", t.old, t.new),
        body,
        t.per_database,
    )
}

fn ext_procedure(x: &ExtCopy, a: &Analysis, o: &Objects, p: &mut Permissions) -> Procedure {
    p.add(&x.base, "RM");
    let mut vars = BTreeSet::new();
    let mut copy = String::from("RowsRead += 1;\n");
    if let Some(c) = blobs(&x.fields, "Rec") {
        copy.push_str(&c);
    }
    for f in &x.fields {
        copy.push_str(&assign("Rec", "Rec", f, a, &mut vars));
    }
    copy.push_str("if Rec.Modify(false) then\n    RowsWritten += 1;\n");
    let names: Vec<&str> = x.fields.iter().map(|f| f.old.as_str()).collect();
    let step = format!(
        "fields of {}: {}",
        x.base.trim_matches('"'),
        names.join(", ")
    );
    let body = format!(
        "{}    begin\n        if Rec.FindSet(true) then\n            repeat\n{}            until Rec.Next() = 0;\n        Log({}, RowsRead, RowsWritten);\n    end;\n",
        var_block(
            &[format!("Rec: Record {}", table_ref(&x.base))],
            &vars,
            &o.log_table
        ),
        indent(&copy, 16),
        lit(&step)
    );
    (format!("copy fields of {}", x.base), body, false)
}

fn rewrite_procedure(r: &EnumRewrite, a: &Analysis, p: &mut Permissions) -> Option<Procedure> {
    let e = a.renumbered.get(&r.enum_key)?;
    p.add(&r.table, "RM");
    let field = format_name(&r.field);
    let en = format_name(&e.name);
    let value = |name: &str, ordinal: u32, other: &str| {
        if name.eq_ignore_ascii_case(other) {
            format!("Enum::{en}.FromInteger({ordinal})")
        } else {
            format!("Enum::{en}::{}", format_name(name))
        }
    };
    let step = format!("ordinals of {}.{} ({})", r.table, r.field, r.app);
    let mut body = format!(
        "        RecRef.GetTable(Rec);\n        if not Rewritable(RecRef, Rec.FieldNo({field})) then begin\n            Log({}, 0, 0);\n            exit;\n        end;\n",
        lit(&format!(
            "{step}: skipped, a FlowField or a primary-key field"
        ))
    );
    for (old, new, oi, ni) in &e.values {
        body.push_str(&format!(
            "        Rec.SetRange({field}, {});\n        Rows := Rec.Count();\n        if Rows > 0 then\n            Rec.ModifyAll({field}, {}, false);\n        RowsRead += Rows;\n",
            value(old, *oi, new),
            value(new, *ni, old)
        ));
    }
    Some((
        format!(
            "rewrite renumbered {:?} ordinals in {:?}.{:?} ({})",
            e.name, r.table, r.field, r.app
        ),
        format!(
            "    var\n        Rec: Record {};\n        RecRef: RecordRef;\n        Rows: Integer;\n        RowsRead: Integer;\n    begin\n{body}        Log({}, RowsRead, RowsRead);\n    end;\n",
            table_ref(&r.table),
            lit(&step)
        ),
        false,
    ))
}

/// The install codeunit.
pub(super) fn codeunit(
    a: &Analysis,
    usings: &BTreeSet<String>,
    doc: &str,
    f: Features,
    o: &Objects,
) -> String {
    let mut perms = Permissions::default();
    let mut procs: Vec<Procedure> = Vec::new();
    for t in &a.tables {
        let bulk = f
            .copy_rows
            .then(|| super::bulk::table(t, &mut perms))
            .flatten();
        procs.push(bulk.unwrap_or_else(|| table_procedure(t, a, f, o, &mut perms)));
    }
    for x in &a.extensions {
        let bulk = f
            .upgrade
            .then(|| super::bulk::fields(x, &mut perms))
            .flatten();
        procs.push(bulk.unwrap_or_else(|| ext_procedure(x, a, o, &mut perms)));
    }
    for r in &a.rewrites {
        procs.extend(rewrite_procedure(r, a, &mut perms));
    }
    perms.add(&o.log_table, "RIMD");
    let mut al = String::new();
    for u in usings {
        al.push_str(&format!("using {u};\n"));
    }
    if !usings.is_empty() {
        al.push('\n');
    }
    al.push_str(doc);
    al.push_str(&format!(
        "codeunit {} {}\n{{\n    Subtype = {};\n{}\n",
        o.id,
        format_name(&o.codeunit),
        if f.upgrade { "Upgrade" } else { "Install" },
        perms.render()
    ));
    for (per_db, trigger) in [
        (
            false,
            if f.upgrade {
                "OnUpgradePerCompany"
            } else {
                "OnInstallAppPerCompany"
            },
        ),
        (
            true,
            if f.upgrade {
                "OnUpgradePerDatabase"
            } else {
                "OnInstallAppPerDatabase"
            },
        ),
    ] {
        let calls: Vec<usize> = procs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.2 == per_db)
            .map(|(i, _)| i + 1)
            .collect();
        if calls.is_empty() {
            continue;
        }
        al.push_str(&format!("    trigger {trigger}()\n    begin\n"));
        for i in calls {
            al.push_str(&format!("        Step{i}();\n"));
        }
        al.push_str("    end;\n\n");
    }
    for (i, (doc, body, _)) in procs.iter().enumerate() {
        al.push_str(&format!(
            "    /// {doc}\n    local procedure Step{}()\n{body}\n",
            i + 1
        ));
    }
    for (i, e) in a.renumbered.values().enumerate() {
        al.push_str(&format!(
            "    /// The new ordinal of a value of enum {:?}.\n    local procedure Ordinal{}(Value: Integer): Integer\n    begin\n        case Value of\n",
            e.name,
            i + 1
        ));
        for (_, _, old, new) in &e.values {
            al.push_str(&format!(
                "            {old}:\n                exit({new});\n"
            ));
        }
        al.push_str("        end;\n        exit(Value);\n    end;\n\n");
    }
    if !a.rewrites.is_empty() {
        al.push_str("    /// Whether a field's stored value can be rewritten with ModifyAll: a normal field\n    /// outside the primary key.\n    local procedure Rewritable(var RecRef: RecordRef; FieldNo: Integer): Boolean\n    var\n        PrimaryKey: KeyRef;\n        I: Integer;\n    begin\n        if RecRef.Field(FieldNo).Class() <> FieldClass::Normal then\n            exit(false);\n        PrimaryKey := RecRef.KeyIndex(1);\n        for I := 1 to PrimaryKey.FieldCount() do\n            if PrimaryKey.FieldIndex(I).Number() = FieldNo then\n                exit(false);\n        exit(true);\n    end;\n\n");
    }
    al.push_str(&format!(
        "    /// Records a step's row counts in {:?} (one line per run and company).\n    local procedure Log(Step: Text; RowsRead: Integer; RowsWritten: Integer)\n    var\n        Entry: Record {};\n    begin\n        Entry.Init();\n        Entry.Company := CopyStr(CompanyName(), 1, MaxStrLen(Entry.Company));\n        Entry.Step := CopyStr(Step, 1, MaxStrLen(Entry.Step));\n        Entry.\"Rows Read\" := RowsRead;\n        Entry.\"Rows Written\" := RowsWritten;\n        Entry.\"Logged At\" := CurrentDateTime();\n        Entry.Insert();\n    end;\n}}\n",
        o.log_table,
        format_name(&o.log_table)
    ));
    al
}

/// The log table: one line per step, run and company (per database, so one page shows all).
pub(super) fn log_table(o: &Objects) -> String {
    format!(
        "/// Row counts of each migration step (read in the old app, written to the new one), one\n/// line per step, run and company. Open it with ?table={id} in the Business Central URL.\ntable {id} {name}\n{{\n    Caption = 'Data Migration Log';\n    DataClassification = SystemMetadata;\n    DataPerCompany = false;\n\n    fields\n    {{\n        field(1; \"Entry No.\"; Integer)\n        {{\n            Caption = 'Entry No.';\n            AutoIncrement = true;\n        }}\n        field(2; Company; Text[30])\n        {{\n            Caption = 'Company';\n        }}\n        field(3; Step; Text[250])\n        {{\n            Caption = 'Step';\n        }}\n        field(4; \"Rows Read\"; Integer)\n        {{\n            Caption = 'Rows Read';\n        }}\n        field(5; \"Rows Written\"; Integer)\n        {{\n            Caption = 'Rows Written';\n        }}\n        field(6; \"Logged At\"; DateTime)\n        {{\n            Caption = 'Logged At';\n        }}\n        field(7; Buffer; Blob)\n        {{\n            Caption = 'Buffer';\n        }}\n    }}\n\n    keys\n    {{\n        key(PK; \"Entry No.\")\n        {{\n            Clustered = true;\n        }}\n    }}\n}}\n",
        id = o.id,
        name = format_name(&o.log_table)
    )
}

/// The permission set for reading the log (and running the codeunit).
pub(super) fn permission_set(o: &Objects) -> String {
    format!(
        "/// Reads the data-migration log.\npermissionset {id} {name}\n{{\n    Assignable = true;\n    Caption = 'Data Migration Log';\n    Permissions = tabledata {log} = RIMD,\n                  table {log} = X,\n                  codeunit {cu} = X;\n}}\n",
        id = o.id,
        name = format_name(&o.permission_set),
        log = format_name(&o.log_table),
        cu = format_name(&o.codeunit)
    )
}

#[cfg(test)]
mod tests {
    use super::table_ref;

    #[test]
    fn table_names_with_dots_and_spaces_are_quoted() {
        assert_eq!(table_ref("Cust. Ledger Entry"), "\"Cust. Ledger Entry\"");
        assert_eq!(
            table_ref("XQZC4BC Object Type Config."),
            "\"XQZC4BC Object Type Config.\""
        );
        assert_eq!(table_ref("Customer"), "Customer");
        assert_eq!(table_ref("Contoso.Loyalty.Tier"), "Contoso.Loyalty.Tier");
        assert_eq!(
            table_ref("Contoso.\"Loyalty Tier\""),
            "Contoso.\"Loyalty Tier\""
        );
    }
}
