//! `chiso`: validate, score, explain and batch-score index assessments.

fn main() {
    println!("chiso");
}
