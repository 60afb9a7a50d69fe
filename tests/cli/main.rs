//! Integration tests: the binary on the real seeds and on small made-up
//! transcripts, one file per stage (after xsv's tests/), sharing the work
//! folder of [`workdir`]. Every test works in a fresh folder of its own.

mod archives;
mod briefings;
mod changes;
mod charts;
mod config;
mod docs;
mod explore;
mod formulations;
mod frequencies;
mod golden;
mod ingest;
mod pipeline;
mod report;
mod segment;
mod shifts;
mod speakers;
mod topics;
mod workdir;
