//! Dumps the tree and diagnostics of one file: `cargo run -p al-parser --example dump -- file.al`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dump FILE.al")?;
    let src = std::fs::read(path)?;
    let p = al_parser::parse(&src);
    print!("{}", p.debug_tree());
    for d in p.diagnostics() {
        let (l, c) = p.line_col(d.start);
        println!("{l}:{c}: {d}");
    }
    Ok(())
}
