//! Dumps the tree of one file: `cargo run -p al-parser --example dump -- file.al`.

fn main() {
    let src = std::fs::read(std::env::args().nth(1).unwrap()).unwrap();
    let p = al_parser::parse(&src);
    print!("{}", p.debug_tree());
    for d in p.diagnostics() { let (l,c)=p.line_col(d.start); println!("{l}:{c}: {d}"); }
}
