//! The single kind enum shared by tokens and nodes.

/// Kind of a token or of a tree node.
///
/// Token kinds come first (`Whitespace` .. `KwThis`), node kinds after `SourceFile`.
/// Keywords are case-insensitive; most of them are *contextual* and are accepted by the
/// parser wherever a name is expected (`Page`, `Namespace`, `Continue`, …).
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum SyntaxKind {
    // ---- trivia ----
    /// Spaces, tabs, line ends, form feeds, NBSP.
    Whitespace,
    /// One or more byte-order marks (U+FEFF).
    Bom,
    /// `// …` up to the end of the line (also `///` doc comments).
    LineComment,
    /// `/* … */` (possibly unterminated).
    BlockComment,
    /// A preprocessor directive line `#if …`, `#pragma …`, … (without its line end).
    Directive,
    /// Source text of an inactive `#if` branch, kept byte for byte.
    DisabledText,
    // ---- literals and names ----
    /// Plain identifier.
    Ident,
    /// `"quoted identifier"` (with `""` escapes).
    QuotedIdent,
    /// `'text'` (with `''` escapes).
    StringLit,
    /// `@'verbatim text'` (may span lines).
    VerbatimString,
    /// `123`
    Int,
    /// `1.5`
    Decimal,
    /// `10L`
    BigInt,
    /// `0D`, `20240101D`
    Date,
    /// `0T`, `235959.999T`
    Time,
    /// `0DT`
    DateTime,
    // ---- punctuation ----
    Assign,
    PlusAssign,
    MinusAssign,
    StarAssign,
    SlashAssign,
    ColonColon,
    DotDot,
    NotEq,
    LtEq,
    GtEq,
    Semi,
    Comma,
    Dot,
    Colon,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Plus,
    Minus,
    Star,
    Slash,
    Eq,
    Lt,
    Gt,
    At,
    Question,
    /// `|` (filter alternatives in property values).
    Pipe,
    /// `&` (filter conjunction in property values).
    Amp,
    /// A `#` that does not start a directive line.
    Hash,
    /// Any byte the lexer does not understand (one byte).
    Unknown,
    // ---- keywords (case-insensitive) ----
    KwBegin,
    KwEnd,
    KwIf,
    KwThen,
    KwElse,
    KwCase,
    KwOf,
    KwWhile,
    KwDo,
    KwRepeat,
    KwUntil,
    KwFor,
    KwTo,
    KwDownto,
    KwForeach,
    KwIn,
    KwWith,
    KwExit,
    KwBreak,
    KwContinue,
    KwAsserterror,
    KwAnd,
    KwOr,
    KwXor,
    KwNot,
    KwDiv,
    KwMod,
    KwIs,
    KwAs,
    KwTrue,
    KwFalse,
    KwVar,
    KwProcedure,
    KwLocal,
    KwInternal,
    KwProtected,
    KwTrigger,
    KwEvent,
    KwNamespace,
    KwUsing,
    KwExtends,
    KwImplements,
    KwCustomizes,
    KwThis,
    // object keywords
    KwTable,
    KwTableextension,
    KwPage,
    KwPageextension,
    KwPagecustomization,
    KwCodeunit,
    KwReport,
    KwReportextension,
    KwXmlport,
    KwQuery,
    KwEnum,
    KwEnumextension,
    KwInterface,
    KwPermissionset,
    KwPermissionsetextension,
    KwProfile,
    KwProfileextension,
    KwControladdin,
    KwEntitlement,
    KwDotnet,
    /// End of input (never stored in the tree).
    Eof,

    // ---- nodes ----
    /// The root.
    SourceFile,
    /// `namespace A.B;`
    NamespaceDecl,
    /// `using A.B;`
    UsingDecl,
    /// A dotted name `A.B."C"`.
    QualifiedName,
    /// One object declaration (header + body).
    Object,
    /// The object's numeric ID.
    ObjectId,
    /// A declared name (object, member, variable, parameter…).
    Name,
    /// `extends Target` (or interface `extends A, B`).
    ExtendsClause,
    /// `implements A, B`.
    ImplementsClause,
    /// `customizes Target`.
    CustomizesClause,
    /// `{ members }`.
    Body,
    /// `Name = value;`
    Property,
    /// The value of a property (raw tokens, nested parentheses grouped).
    PropertyValue,
    /// A parenthesised group inside a property value.
    TokenGroup,
    /// `if (filters) Relation [else …]` in a `TableRelation`.
    ConditionalRelation,
    /// `Target[.Field] [where(…)]` in a `TableRelation`.
    Relation,
    /// `where(filter, …)`.
    WhereClause,
    /// `sorting(field, …)`.
    SortingClause,
    /// `order(ascending|descending)`.
    OrderClause,
    /// `Field = const(…)|filter(…)|field(…)|Ref` (filters, links).
    FilterItem,
    /// The right side of a [`SyntaxKind::FilterItem`].
    FilterValue,
    /// `[-] sum|count|exist|lookup|average|min|max(Target[.Field] [where(…)])`.
    CalcFormula,
    /// `tabledata Ref = RIMD` (Permissions, AccessByPermission).
    PermissionEntry,
    /// `page Ref` (RunObject).
    ObjectRef,
    /// `keyword { … }` (fields, keys, layout, actions, dataset, …).
    Section,
    /// `keyword(args) { … }` (field, key, value, area, group, action, dataitem, column, modify, addafter, …).
    Element,
    /// `( arg; arg; … )` of an element.
    ElementArgs,
    /// One `;`-separated argument of an element.
    ElementArg,
    /// `trigger Name(…) … begin … end;`
    Trigger,
    /// `[local|internal|protected] procedure Name(…)…`
    Procedure,
    /// `event Name(…);` (control add-ins).
    EventDecl,
    /// `[Name(args)]`.
    Attribute,
    /// `( params )`.
    ParamList,
    /// `[var] name: Type`.
    Param,
    /// `: Type` or `Name: Type` after a signature.
    ReturnType,
    /// `[protected] var` + declarations.
    VarSection,
    /// `a, b: Type;`
    VarDecl,
    /// A type (raw tokens).
    TypeRef,
    /// `begin … end`
    Block,
    AssignStmt,
    IfStmt,
    CaseStmt,
    CaseBranch,
    CaseElse,
    WhileStmt,
    RepeatStmt,
    ForStmt,
    ForeachStmt,
    WithStmt,
    ExitStmt,
    BreakStmt,
    ContinueStmt,
    AsserterrorStmt,
    ExprStmt,
    EmptyStmt,
    Literal,
    NameRef,
    BinaryExpr,
    UnaryExpr,
    ParenExpr,
    CallExpr,
    ArgList,
    MemberExpr,
    ScopeExpr,
    IndexExpr,
    RangeExpr,
    SetExpr,
    TernaryExpr,
    /// Tokens the parser could not place.
    Error,
}

use SyntaxKind::*;

impl SyntaxKind {
    /// Whitespace, comments, directives and disabled text.
    #[inline]
    pub fn is_trivia(self) -> bool {
        (self as u8) <= (DisabledText as u8)
    }

    /// A keyword token.
    #[inline]
    pub fn is_keyword(self) -> bool {
        (self as u8) >= (KwBegin as u8) && (self as u8) <= (KwDotnet as u8)
    }

    /// A node kind (not a token kind).
    #[inline]
    pub fn is_node(self) -> bool {
        (self as u8) >= (SourceFile as u8)
    }

    /// The object keyword kinds (`table` … `dotnet`).
    #[inline]
    pub fn is_object_keyword(self) -> bool {
        (self as u8) >= (KwTable as u8) && (self as u8) <= (KwDotnet as u8)
    }

    /// A word: identifier, quoted identifier or keyword.
    #[inline]
    pub fn is_word(self) -> bool {
        matches!(self, Ident | QuotedIdent) || self.is_keyword()
    }

    /// The keyword kind `word` is lexed as (ASCII case-insensitive), if it is a keyword.
    ///
    /// ```
    /// use al_parser::SyntaxKind;
    /// assert_eq!(SyntaxKind::keyword(b"BEGIN"), Some(SyntaxKind::KwBegin));
    /// assert_eq!(SyntaxKind::keyword(b"Customer"), None);
    /// ```
    pub fn keyword(word: &[u8]) -> Option<SyntaxKind> {
        Some(keyword(word)).filter(|k| k.is_keyword())
    }
}

const KEYWORDS: &[(&[u8], SyntaxKind)] = &[
    (b"begin", KwBegin),
    (b"end", KwEnd),
    (b"if", KwIf),
    (b"then", KwThen),
    (b"else", KwElse),
    (b"case", KwCase),
    (b"of", KwOf),
    (b"while", KwWhile),
    (b"do", KwDo),
    (b"repeat", KwRepeat),
    (b"until", KwUntil),
    (b"for", KwFor),
    (b"to", KwTo),
    (b"downto", KwDownto),
    (b"foreach", KwForeach),
    (b"in", KwIn),
    (b"with", KwWith),
    (b"exit", KwExit),
    (b"break", KwBreak),
    (b"continue", KwContinue),
    (b"asserterror", KwAsserterror),
    (b"and", KwAnd),
    (b"or", KwOr),
    (b"xor", KwXor),
    (b"not", KwNot),
    (b"div", KwDiv),
    (b"mod", KwMod),
    (b"is", KwIs),
    (b"as", KwAs),
    (b"true", KwTrue),
    (b"false", KwFalse),
    (b"var", KwVar),
    (b"procedure", KwProcedure),
    (b"local", KwLocal),
    (b"internal", KwInternal),
    (b"protected", KwProtected),
    (b"trigger", KwTrigger),
    (b"event", KwEvent),
    (b"namespace", KwNamespace),
    (b"using", KwUsing),
    (b"extends", KwExtends),
    (b"implements", KwImplements),
    (b"customizes", KwCustomizes),
    (b"this", KwThis),
    (b"table", KwTable),
    (b"tableextension", KwTableextension),
    (b"page", KwPage),
    (b"pageextension", KwPageextension),
    (b"pagecustomization", KwPagecustomization),
    (b"codeunit", KwCodeunit),
    (b"report", KwReport),
    (b"reportextension", KwReportextension),
    (b"xmlport", KwXmlport),
    (b"query", KwQuery),
    (b"enum", KwEnum),
    (b"enumextension", KwEnumextension),
    (b"interface", KwInterface),
    (b"permissionset", KwPermissionset),
    (b"permissionsetextension", KwPermissionsetextension),
    (b"profile", KwProfile),
    (b"profileextension", KwProfileextension),
    (b"controladdin", KwControladdin),
    (b"entitlement", KwEntitlement),
    (b"dotnet", KwDotnet),
];

const KW_SLOTS: usize = 512;

const fn kw_hash(len: usize, h: u32) -> usize {
    ((h ^ (len as u32).wrapping_mul(0x9E37_79B9)) as usize) & (KW_SLOTS - 1)
}

const fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        h = (h ^ bytes[i] as u32).wrapping_mul(0x0100_0193);
        i += 1;
    }
    h
}

/// Open-addressing table: slot → index + 1 into `KEYWORDS` (0 = empty).
static KW_TABLE: [u8; KW_SLOTS] = {
    let mut t = [0u8; KW_SLOTS];
    let mut i = 0;
    while i < KEYWORDS.len() {
        let w = KEYWORDS[i].0;
        let mut slot = kw_hash(w.len(), fnv(w));
        while t[slot] != 0 {
            slot = (slot + 1) & (KW_SLOTS - 1);
        }
        t[slot] = (i + 1) as u8;
        i += 1;
    }
    t
};

/// Classifies a plain word as a keyword (case-insensitively) or [`SyntaxKind::Ident`].
#[inline]
pub(crate) fn keyword(word: &[u8]) -> SyntaxKind {
    let n = word.len();
    if !(2..=22).contains(&n) {
        return Ident;
    }
    let mut buf = [0u8; 22];
    let mut h: u32 = 0x811c_9dc5;
    for (d, s) in buf.iter_mut().zip(word) {
        let c = s.to_ascii_lowercase();
        *d = c;
        h = (h ^ c as u32).wrapping_mul(0x0100_0193);
    }
    let w = &buf[..n];
    let mut slot = kw_hash(n, h);
    loop {
        let e = KW_TABLE[slot];
        if e == 0 {
            return Ident;
        }
        if let Some((kw, kind)) = KEYWORDS.get(e as usize - 1) {
            if kw.len() == n && kw.iter().zip(w).all(|(a, b)| a == b) {
                return *kind;
            }
        }
        slot = (slot + 1) & (KW_SLOTS - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_is_found_case_insensitively() {
        for (w, k) in KEYWORDS {
            assert_eq!(keyword(w), *k);
            assert_eq!(keyword(&w.to_ascii_uppercase()), *k);
        }
        assert_eq!(keyword(b"Customer"), Ident);
        assert_eq!(keyword(b"x"), Ident);
        assert_eq!(keyword(b"beginx"), Ident);
    }
}
