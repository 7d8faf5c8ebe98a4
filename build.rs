// include_dir! embeds templates/ at compile time but cannot tell cargo that a new file appeared.
fn main() {
    println!("cargo:rerun-if-changed=templates");
}
