//! Where blobs come from. Each source yields bytes plus the name reports will show; the
//! scanner does not care whether they came from a directory, the git index or history.

pub mod archive;
pub mod encoding;
pub mod ignore_files;
pub mod index;
pub mod objects;
pub mod read;
pub mod roots;
pub mod tracked;
pub mod walk;
pub mod window;
